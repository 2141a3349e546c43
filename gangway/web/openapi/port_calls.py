"""OpenAPI 3.1 path items for port calls (merged into document.py; the log is access_log.py)."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content, time_input

_ERROR = json_content(ERROR_REF)
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}
PORT_CALL = {
    "type": "object",
    "required": ["id", "port_name", "arrived_at", "timezone", "is_open"],
    "properties": {
        "id": {"type": "integer"},
        "port_name": {"type": "string"},
        "unlocode": _TEXT,
        "facility_name": _TEXT,
        "berth": _TEXT,
        "pfso_name": _TEXT,
        "pfso_contact": _TEXT,
        "arrived_at": {"type": "string", "format": "date-time"},
        "departs_at": _TIME,
        "departed_at": _TIME,
        "port_security_level": {"type": ["integer", "null"]},
        "timezone": {"type": "string", "description": "IANA name, e.g. Europe/Amsterdam"},
        "share_documents": {
            "type": "boolean",
            "description": "The PFSO sees document numbers in full (else the last 4 only)",
        },
        "is_open": {"type": "boolean"},
    },
}
_OPEN = {
    "type": "object",
    "required": ["port_name"],
    "properties": {
        "port_name": {"type": "string", "maxLength": 120},
        "unlocode": {"type": "string", "pattern": "^[A-Za-z0-9]{5}$"},
        "facility_name": {"type": "string", "maxLength": 120},
        "berth": {"type": "string", "maxLength": 120},
        "pfso_name": {"type": "string", "maxLength": 120},
        "pfso_contact": {"type": "string", "maxLength": 200},
        "arrived_at": time_input("Arrival", blank="now (the default)"),
        "departs_at": time_input("Expected departure", blank="not known"),
        "port_security_level": {"enum": [1, 2, 3]},
        "timezone": {"type": "string", "description": "IANA name; default UTC"},
        "share_documents": {
            "type": "boolean",
            "description": "Show the PFSO document numbers in full; default false (masked)",
        },
    },
}
_SHARE = {
    "type": "object",
    "required": ["share_documents"],
    "properties": {
        "share_documents": {"type": "boolean", "description": "true: shown in full; false: masked"}
    },
}
_CLOSE = {
    "type": "object",
    "properties": {
        "departed_at": time_input("Departure", blank="now (the default)"),
        "confirm_aboard": {
            "type": "boolean",
            "description": "Close even though visitors, contractors or authorities are still "
            "recorded aboard (default false: the close is refused with 409 and their list)",
        },
    },
}
_ABOARD = {
    "type": "object",
    "required": ["id", "name", "kind", "boarded_at"],
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "kind": {"enum": ["visitor", "contractor", "authority"]},
        "company": _TEXT, "rank": _TEXT, "photo_url": _TEXT,
        "boarded_at": {"type": "string", "format": "date-time"},
        "access_point": {"type": "string", "description": "Its code"},
    },
}  # fmt: skip
_STILL_ABOARD = {  # the Error, with who is aboard: visitors, contractors and authorities
    "allOf": [
        ERROR_REF,
        {"type": "object", "required": ["aboard"],
         "properties": {"aboard": {"type": "array", "items": _ABOARD}}},
    ]
}  # fmt: skip


_CALL_ID = {"name": "call_id", "in": "path", "required": True, "schema": {"type": "integer"}}
DENIED = {
    "401": {"description": "Not authenticated", **_ERROR},
    "403": {"description": "Role not allowed, or another facility's port call", **_ERROR},
}

PATHS = {
    "/port-calls": {
        "get": {
            "summary": "Port calls, newest first (a PFSO sees only their facility's)",
            "responses": {
                "200": {
                    "description": "Port calls",
                    **json_content(
                        {
                            "type": "object",
                            "properties": {"port_calls": {"type": "array", "items": PORT_CALL}},
                        }
                    ),
                },
                **DENIED,
            },
        },
        "post": {
            "summary": "Open a port call (one open at a time)",
            "requestBody": {"required": True, **json_content(_OPEN)},
            "responses": {
                "201": {"description": "Opened", **json_content(PORT_CALL)},
                "400": {"description": "Bad input or a port call still open", **_ERROR},
                **DENIED,
            },
        },
    },
    "/port-calls/{call_id}/close": {
        "post": {
            "summary": "Record the departure from a port call",
            "description": "With visitors, contractors or authorities still recorded aboard the "
            "call is not closed: 409 lists them, and nothing is written until the request is "
            "sent again with confirm_aboard true.",
            "parameters": [_CALL_ID],
            "requestBody": {"required": False, **json_content(_CLOSE)},
            "responses": {
                "200": {"description": "Closed", **json_content(PORT_CALL)},
                "400": {"description": "Already closed or bad input", **_ERROR},
                **DENIED,
                "404": {"description": "No such port call", **_ERROR},
                "409": {
                    "description": "Not closed: persons still aboard (error still_aboard); "
                    "nothing written",
                    **json_content(_STILL_ABOARD),
                },
            },
        }
    },
    "/port-calls/{call_id}/share-documents": {
        "post": {
            "summary": "Show or mask a port call's document numbers for the PFSO (SSO only)",
            "parameters": [_CALL_ID],
            "requestBody": {"required": True, **json_content(_SHARE)},
            "responses": {
                "200": {"description": "Changed (or already so)", **json_content(PORT_CALL)},
                "400": {"description": "share_documents is not true or false", **_ERROR},
                **DENIED,
                "404": {"description": "No such port call", **_ERROR},
            },
        }
    },
}
