"""OpenAPI 3.1 path items for the ship security plan (merged into openapi.py)."""

from __future__ import annotations

from gangway.domain.scan.types import PersonKind
from gangway.domain.ship.plan import POINT_KINDS
from gangway.web.openapi.common import ERROR_REF, json_content

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

_POINTS_NOW = {
    "type": "object",
    "required": ["security_level", "access_points"],
    "properties": {
        "security_level": {"enum": [1, 2, 3], "description": "The ship's level in force now"},
        "access_points": {
            "type": "array",
            "description": "Every access point in name order, disabled ones too",
            "items": {
                **POINT,
                "required": [*POINT["required"], "open_now"],
                "properties": {
                    **POINT["properties"],
                    "open_now": {
                        "type": "boolean",
                        "description": "Enabled and open at the security level in force. A "
                        "scan at a point closed at this level is refused (access_point_closed); "
                        "a disabled point takes no scans (400)",
                    },
                },
            },
        },
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
    "/access-points": {
        "get": {
            "summary": "Every access point: its plan and whether it is open now",
            "responses": {
                "200": {"description": "Access points", **json_content(_POINTS_NOW)},
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
            },
        }
    },
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
