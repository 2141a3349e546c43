"""OpenAPI 3.1 path items for refused entries and their follow-ups (merged into openapi.py)."""

from __future__ import annotations

from gangway.domain.ship.follow_ups import MAX_AT_ONCE
from gangway.web.openapi.common import ERROR_REF, json_content, time_input

_ERROR = json_content(ERROR_REF)
_TIME = {"type": ["string", "null"], "format": "date-time"}
_FOLLOW_UP = {
    "type": "object",
    "required": ["id", "refusal_id", "acknowledged_at", "response"],
    "properties": {
        "id": {"type": "integer"},
        "refusal_id": {"type": "integer"},
        "acknowledged_at": {"type": "string", "format": "date-time"},
        "acknowledged_by_id": {"type": "integer"},
        "response": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "location_in_port": {"type": ["string", "null"]},
        "location_on_vessel": {"type": ["string", "null"]},
        "reported_to_cso_at": _TIME,
        "reported_to_pfso_at": _TIME,
        "reported_to_authorities_at": _TIME,
        "authorities": {"type": ["string", "null"]},
    },
}
_REFUSAL = {
    "type": "object",
    "required": ["id", "occurred_at", "access_point", "reason_code", "reason_message"],
    "properties": {
        "id": {"type": "integer"},
        "record_id": {"type": "string", "description": "r-<id>, as the scan answered"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "access_point": {"type": "string"},
        "access_point_name": {"type": "string"},
        "direction": {"enum": ["board", "depart"]},
        "reason_code": {"type": "string"},
        "reason_message": {"type": "string", "description": "The recorded reason, in words"},
        "reason_label": {"type": "string", "description": "The first reason's short label"},
        "reason_codes": {"type": "array", "items": {"type": "string"}},
        "person": {"type": ["object", "null"]},
        "scanned_text": {"type": "string"},
        "method": {"type": "string"},
        "credential": {"type": "string"},
        "recorded_by": {"type": ["string", "null"], "description": "The watch's username"},
        "acknowledged": {"type": "boolean"},
        "follow_ups": {"type": "array", "items": _FOLLOW_UP},
        "incident_pdf_url": {"type": "string"},
    },
}
_TIME_INPUT = time_input("Not in the future, not before the refusal", blank="not reported")
_FIELDS = {
    "response": {"type": "string", "maxLength": 4000, "description": "What was done"},
    "description": {"type": "string", "maxLength": 4000},
    "location_in_port": {"type": "string", "maxLength": 200},
    "location_on_vessel": {"type": "string", "maxLength": 200},
    "reported_to_cso_at": _TIME_INPUT,
    "reported_to_pfso_at": _TIME_INPUT,
    "reported_to_authorities_at": _TIME_INPUT,
    "authorities": {"type": "string", "maxLength": 200},
}
_ACKNOWLEDGE = {"type": "object", "required": ["response"], "properties": _FIELDS}
_ACKNOWLEDGE_MANY = {
    "type": "object",
    "required": ["refusal_ids", "response"],
    "properties": {
        "refusal_ids": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1},
            "minItems": 1,
            "maxItems": MAX_AT_ONCE,
            "description": "Open refusals only; one follow-up is recorded for each",
        },
        **_FIELDS,
    },
}
_ACKNOWLEDGED_MANY = {
    "type": "object",
    "required": ["follow_ups", "unacknowledged"],
    "properties": {
        "follow_ups": {"type": "array", "items": _FOLLOW_UP},
        "unacknowledged": {"type": "integer", "description": "Refusals still to acknowledge"},
    },
}


PATHS = {
    "/refusals": {
        "get": {
            "summary": "Refused entries, newest first (ISPS B/9.12)",
            "parameters": [
                {
                    "name": "since",
                    "in": "query",
                    "schema": time_input("Only refusals at or after this time", blank="all"),
                    "description": "Only refusals at or after this time (empty: all)",
                },
                {
                    "name": "unacknowledged",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "1 or true: only refusals the SSO has not acknowledged",
                },
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0},
                    "description": "Default 100; at most 500 are returned",
                },
            ],
            "responses": {
                "200": {
                    "description": "Refusals and the count still to acknowledge",
                    **json_content(
                        {
                            "type": "object",
                            "properties": {
                                "refusals": {"type": "array", "items": _REFUSAL},
                                "unacknowledged": {"type": "integer"},
                            },
                        }
                    ),
                },
                "400": {"description": "Bad since", **_ERROR},
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
            },
        }
    },
    "/refusals/{refusal_id}/acknowledge": {
        "post": {
            "summary": "Acknowledge a refusal with the SSO's follow-up (33 CFR 104.235(b)(3))",
            "parameters": [
                {
                    "name": "refusal_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "requestBody": {"required": True, **json_content(_ACKNOWLEDGE)},
            "responses": {
                "201": {"description": "Follow-up recorded", **json_content(_FOLLOW_UP)},
                "400": {"description": "Bad input; nothing recorded", **_ERROR},
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
                "404": {"description": "No such refusal", **_ERROR},
            },
        }
    },
    "/refusals/acknowledge": {
        "post": {
            "summary": "Acknowledge several open refusals with one follow-up, all or none",
            "description": "Records one follow-up per refusal in one transaction. An unknown or "
            "already acknowledged refusal, an empty response or a reported time in the future "
            "or before a refusal is refused with 400 and nothing is recorded.",
            "requestBody": {"required": True, **json_content(_ACKNOWLEDGE_MANY)},
            "responses": {
                "201": {"description": "Follow-ups recorded", **json_content(_ACKNOWLEDGED_MANY)},
                "400": {"description": "Bad input; nothing recorded", **_ERROR},
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
            },
        }
    },
}
