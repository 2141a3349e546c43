"""OpenAPI 3.1 path item for the people search behind manual ID checks (merged into openapi.py)."""

from __future__ import annotations

from gangway.domain.scan.types import PersonKind
from gangway.web.openapi.common import json_content

_HIT = {
    "type": "object",
    "required": ["id", "name", "kind"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string", "description": "FAMILY, Given"},
        "kind": {"enum": [k.value for k in PersonKind]},
        "company": {"type": ["string", "null"]},
        "rank": {"type": ["string", "null"]},
        "photo_url": {"type": ["string", "null"]},
        "document_type": {"type": ["string", "null"]},
        "document_number": {
            "type": ["string", "null"],
            "description": "The number on record (null for the watch role: the watch reads it "
            "off the document shown, and the check compares)",
        },
        "document_hint": {
            "type": ["string", "null"],
            "description": "The last 3 characters of a number of 7 or more, to tell namesakes "
            "apart; null for shorter numbers",
        },
    },
}


PATHS = {
    "/people": {
        "get": {
            "summary": "Find people by name or document number (manual identity checks)",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "description": "Part of a family name, given name or document number; "
                    "case-insensitive; fewer than 2 characters (or none) find nobody",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "At most 10 enabled people, by name",
                    **json_content(
                        {
                            "type": "object",
                            "required": ["people"],
                            "properties": {"people": {"type": "array", "items": _HIT}},
                        }
                    ),
                },
            },
        }
    }
}
