"""OpenAPI 3.1 path item for reading an identity document from a photo (merged)."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content

_DATE = {"type": ["string", "null"], "format": "date"}
_DOCUMENT = {
    "type": "object",
    "required": ["format", "document_number", "mrz", "check_digits", "valid"],
    "properties": {
        "format": {
            "enum": ["TD1", "TD2", "TD3", "MRVA", "MRVB", "AAMVA", ""],
            "description": "ICAO 9303 zone format, or AAMVA for a PDF417 barcode",
        },
        "document_type": {"type": "string", "description": "As printed: P, I, ID, V... or DL"},
        "issuing_state": {"type": "string", "description": "ICAO code (Germany's D as DEU)"},
        "issuer": {"type": "string", "description": "AAMVA: the issuing jurisdiction"},
        "document_number": {"type": "string"},
        "family_name": {"type": "string"},
        "given_names": {"type": "string"},
        "nationality": {"type": "string"},
        "birth_date": _DATE,
        "sex": {"enum": ["M", "F", "X", ""]},
        "expiry_date": {**_DATE, "description": "null: the document prints no expiry"},
        "optional_data": {"type": "string"},
        "mrz": {"type": "array", "items": {"type": "string"}, "description": "Lines as read"},
        "check_digits": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "valid": {"type": "boolean"}},
            },
        },
        "valid": {
            "type": "boolean",
            "description": "Every check digit and the composite hold; never act on false",
        },
        "reason": {"type": ["string", "null"]},
        "message": {"type": "string", "description": "Why not valid, for the watch"},
        "cautions": {"type": "array", "items": {"type": "object"}},
    },
}
PATHS = {
    "/documents/read": {
        "post": {
            "summary": "Read an identity document from a photo (watch, SSO, master)",
            "description": (
                "The machine-readable zone of a passport, ID card or visa (ICAO 9303: TD1, TD2, "
                "TD3, MRV-A, MRV-B; seafarer IDs of ILO C185), or a US/Canadian AAMVA PDF417. "
                "Read off the scan path; the photo is not kept and nothing is recorded."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["image"],
                            "properties": {"image": {"type": "string", "format": "binary"}},
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "The document (see valid)", **json_content(_DOCUMENT)},
                "422": {
                    "description": "Not a usable image, or no zone nor barcode found in it",
                    **json_content(ERROR_REF),
                },
            },
        }
    }
}
