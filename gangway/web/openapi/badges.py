"""OpenAPI 3.1 path items for visitors and badges (merged into openapi.py)."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content, time_input
from gangway.web.pages.people.person_form import PURPOSE_LIMIT, TEXT_FIELDS

_ERROR = json_content(ERROR_REF)
_TEXT_LIMITS = {  # the form's limits, the columns' sizes
    **{n: TEXT_FIELDS[n] for n in ("family_name", "given_names", "company", "document_type")},
    **{n: TEXT_FIELDS[n] for n in ("document_number", "host", "notes")},
    "purpose": PURPOSE_LIMIT,
}
_BADGE = {
    "type": "object",
    "required": ["badge_id", "code", "person", "card_pdf_url", "card_png_url"],
    "properties": {
        "badge_id": {"type": "integer"},
        "code": {"type": "string", "description": "The exact text in the badge's QR code"},
        "person": {"type": "object"},
        "valid_from": {"type": "string", "format": "date-time"},
        "valid_until": {"type": "string", "format": "date-time"},
        "revoked_at": {"type": ["string", "null"], "format": "date-time"},
        "card_pdf_url": {"type": "string"},
        "card_png_url": {"type": "string"},
    },
}
_VISITOR = {
    "type": "object",
    "required": ["family_name", "purpose"],
    "properties": {
        **{
            name: {"type": ["string", "null"], "maxLength": limit, "description": "null: none"}
            for name, limit in _TEXT_LIMITS.items()
        },
        "nationality": {
            "type": "string",
            "description": "ISO 3166-1 alpha-2 or alpha-3, ICAO 9303 code, or English name; "
            "stored and returned as the 3-letter code",
        },
        "document_issuing_state": {"type": "string"},
        "valid_from": time_input("Badge valid from", blank="now"),
        "valid_until": time_input("Badge valid until", blank="the end of the port call"),
    },
}
_ID = {"name": "badge_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _card(fmt: str, mime: str) -> dict:
    return {
        "get": {
            "summary": f"The printable badge card as {fmt.upper()} (CR80, 85.6 x 54 mm)",
            "parameters": [_ID],
            "responses": {
                "200": {"description": "The card", "content": {mime: {}}},
                "404": {"description": "No such badge", **_ERROR},
            },
        }
    }


PATHS = {
    "/visitors": {
        "post": {
            "summary": "Register a visitor and issue a signed temporary badge",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _VISITOR},
                    "multipart/form-data": {
                        "schema": {
                            **_VISITOR,
                            "properties": {
                                **_VISITOR["properties"],
                                "photo": {"type": "string", "format": "binary"},
                            },
                        }
                    },
                },
            },
            "responses": {
                "201": {
                    "description": "Registered",
                    "content": {"application/json": {"schema": _BADGE}},
                },
                "400": {"description": "Bad input; nothing written", **_ERROR},
            },
        }
    },
    "/badges/{badge_id}/revoke": {
        "post": {
            "summary": "Revoke a badge with the reason",
            "parameters": [_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {"reason": {"type": "string"}},
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Revoked",
                    "content": {"application/json": {"schema": _BADGE}},
                },
                "400": {"description": "No reason, or already revoked", **_ERROR},
                "404": {"description": "No such badge", **_ERROR},
            },
        }
    },
    "/badges/{badge_id}/card.pdf": _card("pdf", "application/pdf"),
    "/badges/{badge_id}/card.png": _card("png", "image/png"),
}
