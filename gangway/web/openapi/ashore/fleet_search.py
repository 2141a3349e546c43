"""OpenAPI 3.1 path item of the CSO's fleet-wide search of people and refusals (shore server
only, roles cso and admin; issue 17 point 4)."""

from __future__ import annotations

from gangway.web.openapi.common import errors, json_content

_TEXT = {"type": ["string", "null"]}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_SHIP = {"type": "object", "properties": {"imo": {"type": "string"}, "name": {"type": "string"}}}
_CALL = {
    "type": ["object", "null"],
    "description": "The port call as the ship last sent it (null: at sea, or not sent yet)",
    "properties": {
        "id": {"type": "integer", "description": "The ship's own id of the call"},
        "port_name": {"type": "string"},
        "unlocode": _TEXT,
        "facility_name": _TEXT,
        "arrived_at": _TIME,
        "departed_at": _TIME,
        "timezone": {"type": "string"},
    },
}
_LINE = {
    "type": "object",
    "description": "What the person did on one ship in one port call: each refusal on its "
    "own line, crossings counted, a registration",
    "properties": {
        "ship": _SHIP,
        "port_call_id": {
            "type": ["integer", "null"],
            "description": "The ship's own id of the call (null: at sea, or a registration)",
        },
        "port_call": _CALL,
        "what": {"enum": ["refusal", "movement", "person"]},
        "first_at": _TIME,
        "last_at": _TIME,
        "reason": {"type": ["string", "null"], "description": "A refusal's reason, in words"},
        "kind": {"type": ["string", "null"], "description": "crew, visitor, contractor, ..."},
        "boarded": {"type": "integer"},
        "left": {"type": "integer"},
        "after_refusal_on": {
            "anyOf": [_SHIP, {"type": "null"}],
            "description": "Seen here after a refusal on this other ship",
        },
    },
}
_CASE = {
    "type": "object",
    "description": "Refused on one ship, then seen on another (the first time after)",
    "properties": {
        "refused_on": _SHIP,
        "refused_at": _TIME,
        "reason": {"type": "string"},
        "then_on": _SHIP,
        "then_at": _TIME,
        "then": {"type": "string", "description": "e.g. boarded, left, registered as visitor"},
    },
}
_PERSON = {
    "type": "object",
    "properties": {
        "names": {"type": "array", "items": {"type": "string"}, "description": "Most used first"},
        "documents": {"type": "array", "items": {"type": "string"}},
        "refused_then_seen": {"type": "array", "items": _CASE},
        "lines": {"type": "array", "items": _LINE, "description": "Newest first, at most 100"},
    },
}
_RESULT = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "found": {"type": "integer", "description": "Persons found; at most 50 are listed"},
        "too_many": {
            "type": "boolean",
            "description": "More than 5,000 records match: nothing listed, type more of the name",
        },
        "documents_masked": {"type": "boolean"},
        "persons": {
            "type": "array",
            "items": _PERSON,
            "description": "At most 50: those refused then seen elsewhere first, then the newest",
        },
    },
}
PATHS: dict = {
    "/fleet/search": {
        "get": {
            "summary": "Find a person in every ship's records by name or document number",
            "description": "Shore server only; roles cso and admin. A query holding a digit is "
            "a document number (letters and digits compared); otherwise a name: every word "
            "must be in the person's names, in any order, any case, accents folded.",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                }
            ],
            "responses": {
                "200": {"description": "The persons found", **json_content(_RESULT)},
                **errors(400, 401, 403),
            },
        }
    },
}
