"""OpenAPI 3.1 path item for the access log of a port call (merged into document.py)."""

from __future__ import annotations

from gangway.domain.reporting.access_log import DIRECTIONS, KINDS, OUTCOMES, SORTS
from gangway.web.openapi.common import ERROR_REF, json_content, time_input
from gangway.web.openapi.port_calls import DENIED, PORT_CALL

_ERROR = json_content(ERROR_REF)
_TEXT = {"type": ["string", "null"]}
_ROW = {
    "type": "object",
    "properties": {
        "record_id": {"type": "string", "description": "m-<id> movement, r-<id> refusal"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "local_at": {"type": "string", "format": "date-time", "description": "Port local time"},
        "time_zone": {"type": "string"},
        "outcome": {"enum": ["allowed", "refused"]},
        "direction": {"enum": ["board", "depart"]},
        "kind": _TEXT,
        "name": {"type": "string"},
        "company": _TEXT,
        "purpose": _TEXT,
        "access_point": {"type": "string"},
        "access_point_code": {"type": "string"},
        "method": {"type": "string"},
        "escort": _TEXT,
        "reason": _TEXT,
        "document_number": {
            "type": "string",
            "description": "Masked (•) for the PFSO unless the port call shares documents",
        },
        "port_call_id": {"type": "integer"},
    },
}
_PROBLEMS = {
    "allOf": [
        ERROR_REF,
        {
            "type": "object",
            "properties": {
                "problems": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    ]
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _or_empty(schema: dict) -> dict:
    """Return a query schema that also takes the empty value the log page's form sends."""
    return {"anyOf": [schema, {"const": "", "description": "the default"}]}


PATHS = {
    "/movements": {
        "get": {
            "summary": "The access log of a port call: movements and refusals (ISPS A/10.1)",
            "parameters": [
                _query("port_call", _or_empty({"type": "integer"}), "Default: the newest one"),
                _query("direction", {"enum": ["", *DIRECTIONS]}, "Default (or empty): any"),
                _query("kind", {"enum": ["", *KINDS]}, "Default (or empty): any"),
                _query("outcome", {"enum": ["", *OUTCOMES]}, "Default (or empty): any"),
                _query("purpose", {"type": "string"}, "Purpose contains"),
                _query("point", {"type": "string"}, "Access point code"),
                _query("from", time_input("From", blank="no bound"), "Entries at or after"),
                _query("to", time_input("To", blank="no bound"), "Entries at or before"),
                _query("q", {"type": "string", "maxLength": 100}, "Name or company contains"),
                _query("sort", {"enum": ["", *SORTS]}, "Default (or empty): -time"),
                _query("page", _or_empty({"type": "integer", "minimum": 1}), "50 rows a page"),
            ],
            "responses": {
                "200": {
                    "description": "One page of the log",
                    **json_content(
                        {
                            "type": "object",
                            "properties": {
                                "port_call": {"oneOf": [PORT_CALL, {"type": "null"}]},
                                "rows": {"type": "array", "items": _ROW},
                                "total": {"type": "integer"},
                                "page": {"type": "integer"},
                                "pages": {"type": "integer"},
                            },
                        }
                    ),
                },
                "400": {"description": "Bad filters", **json_content(_PROBLEMS)},
                **DENIED,
                "404": {"description": "No such port call", **_ERROR},
            },
        }
    },
}
