"""OpenAPI 3.1 path items for the security level and Declarations of Security (merged)."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content, time_input

_ERROR = json_content(ERROR_REF)
_TIME = {"type": ["string", "null"], "format": "date-time"}
_LEVEL = {"type": "integer", "enum": [1, 2, 3]}
_ORDERED_BY = {"enum": ["flag_state", "port_state", "company", "own"]}
_STATE = {
    "type": "object",
    "required": ["level", "port_level", "declaration_needed"],
    "properties": {
        "level": _LEVEL,
        "reason": {"type": ["string", "null"]},
        "ordered_by": {**_ORDERED_BY, "type": ["string", "null"]},
        "notified_at": _TIME,
        "complied_at": _TIME,
        "port_level": {"type": ["integer", "null"], "description": "The port facility's level"},
        "declaration_needed": {
            "type": "boolean",
            "description": "The ship is above the port facility's level with no DoS in force",
        },
    },
}
_CHANGE = {
    "type": "object",
    "required": ["level", "reason", "ordered_by", "notified_at"],
    "properties": {
        "level": _LEVEL,
        "reason": {"type": "string", "maxLength": 255},
        "ordered_by": _ORDERED_BY,
        "notified_at": time_input("When the ship was told of the level"),
        "complied_at": time_input(
            "Not before notified_at; null while not complied", blank="not complied", nullable=True
        ),
    },
}
_DOS_FIELDS = {
    "level": _LEVEL,
    "ship_party_name": {"type": "string", "maxLength": 120},
    "ship_party_role": {"enum": ["master", "sso"]},
    "port_party_name": {"type": "string", "maxLength": 120, "description": "The PFSO"},
    "port_facility": {"type": ["string", "null"], "maxLength": 120},
    "reason": {"type": "string", "maxLength": 255},
    "measures": {"type": "string", "description": "The security measures agreed"},
    "valid_from": time_input("Declaration in force from"),
    "valid_until": time_input("After valid_from"),
    "signed_at": time_input("When both parties signed"),
}
_DOS_NEW = {
    "type": "object",
    "required": [name for name in _DOS_FIELDS if name != "port_facility"],
    "properties": _DOS_FIELDS,
}
_DOS = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "port_call_id": {"type": ["integer", "null"]},
        **_DOS_FIELDS,
        "valid_from": _TIME,
        "valid_until": _TIME,
        "signed_at": _TIME,
        "recorded_at": _TIME,
    },
}


_DENIED = {
    "401": {"description": "Not authenticated", **_ERROR},
    "403": {"description": "Role not allowed", **_ERROR},
}
PATHS = {
    "/security-level": {
        "get": {
            "summary": "The ship's security level, its latest record and the port's level",
            "responses": {
                "200": {"description": "Level in force", **json_content(_STATE)},
                **_DENIED,
            },
        },
        "put": {
            "summary": "Record a change of the ship's security level (SSO, master)",
            "requestBody": {"required": True, **json_content(_CHANGE)},
            "responses": {
                "200": {"description": "Recorded; the new state", **json_content(_STATE)},
                "400": {"description": "Bad input; nothing changed", **_ERROR},
                **_DENIED,
            },
        },
    },
    "/declarations": {
        "get": {
            "summary": "Every Declaration of Security, newest first (SSO, master, PFSO)",
            "responses": {
                "200": {
                    "description": "Declarations",
                    **json_content(
                        {
                            "type": "object",
                            "properties": {"declarations": {"type": "array", "items": _DOS}},
                        }
                    ),
                },
                **_DENIED,
            },
        },
        "post": {
            "summary": "Record a Declaration of Security (SSO, master)",
            "requestBody": {"required": True, **json_content(_DOS_NEW)},
            "responses": {
                "201": {"description": "Recorded", **json_content(_DOS)},
                "400": {"description": "Bad input; nothing recorded", **_ERROR},
                **_DENIED,
            },
        },
    },
}
