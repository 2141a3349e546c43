"""OpenAPI 3.1 path items for the ship security plan (merged into openapi.py)."""

from __future__ import annotations

from ..domain.plan import POINT_KINDS
from ..domain.types import PersonKind
from .openapi_common import ERROR_REF, json_content

_ERROR = json_content(ERROR_REF)
_LEVELS = {
    "type": "object",
    "description": "Open at security levels 1, 2 and 3; only one point may be open at level 3",
    "required": ["1", "2", "3"],
    "properties": {level: {"type": "boolean"} for level in ("1", "2", "3")},
}
_ONE_WAY = {
    "enum": ["board", "depart", None],
    "description": "The only direction the point serves (B/9.14.5); null: both ways",
}
POINT = {  # an access point as the API shows it (api_plan.access_point_json)
    "type": "object",
    "required": ["code", "name", "kind", "is_enabled", "open_at", "one_way"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"enum": list(POINT_KINDS)},
        "is_enabled": {"type": "boolean"},
        "open_at": _LEVELS,
        "one_way": _ONE_WAY,
    },
}
_CHANGE = {
    "type": "object",
    "description": "Only the fields sent change",
    "properties": {
        "name": {"type": "string", "maxLength": 120},
        "kind": {"enum": list(POINT_KINDS)},
        "is_enabled": {"type": "boolean"},
        "open_at": _LEVELS,
        "one_way": _ONE_WAY,
    },
}

_KINDS = {
    "type": "array",
    "items": {"enum": [k.value for k in PersonKind]},
    "description": "Kinds of person (a kind named twice counts once)",
}
_PASSBACK = {
    "type": "object",
    "description": "Anti-passback per kind of person (B/9.11): the kinds refused boarding while "
    "recorded aboard and leaving while not recorded aboard; the other kinds are flagged",
    "required": ["refuse_board", "refuse_depart"],
    "properties": {"refuse_board": _KINDS, "refuse_depart": _KINDS},
}
_PASSBACK_JSON = {"content": {"application/json": {"schema": _PASSBACK}}}
_DENIED = {
    "401": {"description": "Not authenticated", **_ERROR},
    "403": {"description": "Role not allowed", **_ERROR},
}

PATHS = {
    "/plan/passback": {
        "get": {
            "summary": "Read the anti-passback setting of the plan (SSO, master)",
            "responses": {
                "200": {"description": "The setting in force", **_PASSBACK_JSON},
                **_DENIED,
                "404": {"description": "No ship set up yet", **_ERROR},
            },
        },
        "put": {
            "summary": "Set the kinds of person refused boarding or leaving twice (SSO)",
            "requestBody": {"required": True, **_PASSBACK_JSON},
            "responses": {
                "200": {"description": "The setting as saved", **_PASSBACK_JSON},
                "400": {"description": "Bad input; nothing changed", **_ERROR},
                **_DENIED,
                "404": {"description": "No ship set up yet", **_ERROR},
            },
        },
    },
    "/access-points/{code}": {
        "put": {
            "summary": "Change an access point in the ship security plan (SSO)",
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _CHANGE}},
            },
            "responses": {
                "200": {
                    "description": "The access point as saved",
                    "content": {"application/json": {"schema": POINT}},
                },
                "400": {
                    "description": "Bad input, or the plan would open a second point at level "
                    "3 or none at level 1; nothing changed",
                    **_ERROR,
                },
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
                "404": {"description": "No such access point", **_ERROR},
            },
        }
    },
}
