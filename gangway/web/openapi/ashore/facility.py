"""OpenAPI 3.1 path items of the PFSO's facility ashore (shore server only, role pfso): the calls
at their facility of every ship of the fleet, a call's log, the visitors expected."""

from __future__ import annotations

from gangway.web.openapi.common import errors, json_content

_TEXT = {"type": ["string", "null"]}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_CALL = {
    "type": "object",
    "properties": {
        "imo": {"type": "string"},
        "ship_name": {"type": "string"},
        "call_id": {"type": "integer", "description": "The ship's own id of the call"},
        "port_name": {"type": "string"},
        "unlocode": _TEXT,
        "facility_name": {"type": "string"},
        "berth": _TEXT,
        "arrived_at": _TIME,
        "departed_at": _TIME,
        "timezone": {"type": "string"},
        "share_documents": {"type": "boolean", "description": "false: document numbers masked"},
    },
}
_MASKED = {"type": ["string", "null"], "description": "Masked (•) unless the ship shares them"}
_ROW = {
    "type": "object",
    "properties": {
        "record_id": {"type": "string", "description": "m-<id> a movement, r-<id> a refusal"},
        "occurred_at": _TIME,
        "outcome": {"enum": ["allowed", "refused"]},
        "direction": _TEXT,
        "kind": _TEXT,
        "name": {"type": "string"},
        "company": _TEXT,
        "purpose": _TEXT,
        "reason": {"type": ["string", "null"], "description": "In plain words"},
        "document_number": _MASKED,
    },
}
_VISITOR = {
    "type": "object",
    "properties": {
        "call": _CALL,
        "name": {"type": "string"},
        "kind": _TEXT,
        "company": _TEXT,
        "purpose": _TEXT,
        "host": _TEXT,
        "document_number": _MASKED,
        "valid_from": _TIME,
        "valid_until": _TIME,
        "state": {"enum": ["expected", "on board", "left"]},
    },
}


def _get(summary: str, schema: dict, *codes: int, parameters: list | None = None) -> dict:
    operation = {
        "summary": summary,
        "description": "Shore server only; role pfso, the account's facility.",
        "responses": {"200": {"description": summary, **json_content(schema)}, **errors(*codes)},
    }
    return {"get": operation | ({"parameters": parameters} if parameters else {})}


_PATH_PARAMS = [
    {"name": "imo", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "call_id", "in": "path", "required": True, "schema": {"type": "integer"}},
]
PATHS: dict = {
    "/facility/calls": _get(
        "The calls at the facility of every ship of the fleet, latest first",
        {"type": "array", "items": _CALL},
        401,
        403,
    ),
    "/facility/calls/{imo}/{call_id}/log": _get(
        "A call's movements and refusals (404: not a call at the facility)",
        {
            "type": "object",
            "properties": {"call": _CALL, "rows": {"type": "array", "items": _ROW}},
        },
        401,
        403,
        404,
        parameters=_PATH_PARAMS,
    ),
    "/facility/visitors": _get(
        "Visitors registered for calls at the facility, badge still good",
        {"type": "array", "items": _VISITOR},
        401,
        403,
    ),
}
