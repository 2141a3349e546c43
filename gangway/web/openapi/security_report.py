"""OpenAPI 3.1 path item for the pre-arrival Security Report (MSC.1/Circ.1305), merged."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content, time_input

_ERROR = json_content(ERROR_REF)
_ANY = {"type": ["string", "integer", "boolean", "object", "null"]}
_ITEM = {
    "type": "object",
    "required": ["number", "label"],
    "properties": {
        "number": {"type": "string", "description": "The circular's number: 1.1 ... 3.5"},
        "label": {"type": "string"},
        "value": {**_ANY, "description": "A single value; null when nothing is recorded"},
        "rows": {
            "type": "array",
            "items": {"type": "object"},
            "description": "3.3 the last ten calls (most recent first: number, date_from, "
            "date_to, port, country, facility, unlocode, security_level); 3.3.2 the measures "
            "per call (number, port, unlocode, measures: kind and text); 3.4 ship-to-ship "
            "activities (most recent first)",
        },
    },
}
_REPORT = {
    "type": "object",
    "required": ["form", "made_at", "signed_by", "chain_head", "sections"],
    "properties": {
        "form": {"type": "string"},
        "made_at": {"type": "string", "format": "date-time"},
        "signed_by": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "role": {"enum": ["sso", "master"]},
                "signed_at": {"type": "string", "format": "date-time"},
            },
        },
        "chain_head": {
            "type": ["object", "null"],
            "properties": {
                "seq": {"type": "integer"},
                "entry_hash": {"type": "string"},
                "short": {"type": "string"},
            },
        },
        "sections": {
            "type": "array",
            "description": "1 particulars, 2 port of arrival, 3 SOLAS XI-2/9.2.1, in order",
            "items": {
                "type": "object",
                "properties": {
                    "number": {"type": "string"},
                    "title": {"type": "string"},
                    "items": {"type": "array", "items": _ITEM},
                },
            },
        },
    },
}


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}  # fmt: skip


PATHS = {
    "/security-report": {
        "get": {
            "summary": "The pre-arrival Security Report from the records (SSO, master)",
            "description": "Every value comes from the records but 2.1-2.3 (given here) and "
            "3.5 (`other`); any other parameter is refused.",
            "parameters": [
                _query(
                    "unlocode",
                    {"type": "string", "pattern": "^[A-Za-z]{2}[A-Za-z2-9]{3}$"},
                    "2.1 Port of arrival, UN/LOCODE",
                    required=True,
                ),
                _query("facility", {"type": "string", "maxLength": 120}, "2.1 Port facility"),
                _query("eta", time_input("2.2 Expected time of arrival"), "2.2 ETA", required=True),
                _query(
                    "purpose",
                    {"type": "string", "minLength": 1, "maxLength": 200},
                    "2.3 Primary purpose of call",
                    required=True,
                ),
                _query(
                    "other",
                    {"type": "string", "maxLength": 2000},
                    "3.5 Other security-related information",
                ),
            ],  # fmt: skip
            "responses": {
                "200": {"description": "The report, in order", **json_content(_REPORT)},
                "400": {"description": "Bad input", **_ERROR},
            },
        }
    }
}
