"""OpenAPI 3.1 path items of the fleet watch list (shore server only, merged into its document):
the CSO's entries, and the changes a ship takes at each contact (issue 17 point 6)."""

from __future__ import annotations

from gangway.web.openapi.common import error, errors, json_content

_TEXT = {"type": ["string", "null"]}
_ENTRY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "family_name": _TEXT,
        "given_names": _TEXT,
        "date_of_birth": {"type": ["string", "null"], "format": "date"},
        "document_number": _TEXT,
        "reason": {"type": "string"},
        "added_at": {"type": "string", "format": "date-time"},
        "removed": {"type": "boolean", "description": "true: lift it on board"},
    },
}
_NEW = {
    "type": "object",
    "required": ["reason"],
    "properties": {
        "family_name": {"type": ["string", "null"], "maxLength": 120},
        "given_names": {"type": ["string", "null"], "maxLength": 120},
        "date_of_birth": {"type": ["string", "null"], "description": "YYYY-MM-DD"},
        "document_number": {"type": ["string", "null"], "maxLength": 64},
        "reason": {"type": "string", "maxLength": 255},
    },
    "description": "A document number, or both family and given names; and the reason",
}
_CHANGED = {"allOf": [_ENTRY, {"properties": {"version": {"type": "integer"}}}]}

PATHS: dict = {
    "/fleet/watch-list": {
        "get": {
            "summary": "The fleet watch list in force and its version (role cso)",
            "responses": {
                "200": {
                    "description": "The list",
                    **json_content(
                        {
                            "type": "object",
                            "properties": {
                                "version": {"type": "integer"},
                                "entries": {"type": "array", "items": _ENTRY},
                            },
                        }
                    ),
                },
                **errors(401, 403),
            },
        },
        "post": {
            "summary": "Add an entry every ship takes at its next contact (role cso)",
            "requestBody": {"required": True, **json_content(_NEW)},
            "responses": {
                "201": {"description": "Added; the list's new version", **json_content(_CHANGED)},
                **errors(400, 401, 403),
            },
        },
    },
    "/fleet/watch-list/{entry_id}/remove": {
        "post": {
            "summary": "Remove an entry: every ship lifts it at its next contact (role cso)",
            "parameters": [
                {"name": "entry_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {"description": "Removed; the list's new version", **json_content(_CHANGED)},
                **errors(400, 401, 403, 404),
            },
        }
    },
    "/shore/watch-list": {
        "get": {
            "summary": "The fleet watch list's changes since the version the ship holds",
            "description": "Authorization: Bearer <the ship's link token>. since=0, or a version "
            "this shore never had, answers the whole list in force with full: true (the ship "
            "lifts every fleet entry the list does not name).",
            "parameters": [
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                }
            ],
            "responses": {
                "200": {
                    "description": "Entries added since (removed false) and removed since",
                    **json_content(
                        {
                            "type": "object",
                            "required": ["version", "full", "entries"],
                            "properties": {
                                "version": {"type": "integer"},
                                "full": {"type": "boolean"},
                                "entries": {"type": "array", "items": _ENTRY},
                            },
                        }
                    ),
                },
                "400": error("since is not a whole number"),
                "401": error("No or unknown link token"),
            },
        }
    },
}
