"""The OpenAPI 3.1 document for /api/v1 (hand-written: small, and reviewed like code)."""

from __future__ import annotations

from gangway.domain.scan.types import Credential, Direction, Method, PersonKind, Severity, Verdict
from gangway.web.openapi import access_log as openapi_access_log
from gangway.web.openapi import badges as openapi_badges
from gangway.web.openapi import documents as openapi_documents
from gangway.web.openapi import jobs as openapi_jobs
from gangway.web.openapi import lists as openapi_lists
from gangway.web.openapi import manual as openapi_manual
from gangway.web.openapi import offline as openapi_offline
from gangway.web.openapi import plan as openapi_plan
from gangway.web.openapi import port_calls as openapi_port_calls
from gangway.web.openapi import refusals as openapi_refusals
from gangway.web.openapi import reports as openapi_reports
from gangway.web.openapi import security as openapi_security
from gangway.web.openapi import security_report as openapi_security_report
from gangway.web.openapi.ashore import facility as openapi_facility
from gangway.web.openapi.ashore import fleet_search as openapi_fleet_search
from gangway.web.openapi.ashore import link as openapi_shore
from gangway.web.openapi.ashore import movements as openapi_shore_log
from gangway.web.openapi.ashore import watch_list as openapi_fleet_watch
from gangway.web.openapi.common import ERROR_SCHEMA, UNAUTHORIZED, errors, with_denials
from gangway.web.openapi.common import json_content as _json

_PERSON = {
    "type": ["object", "null"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"enum": [k.value for k in PersonKind]},
        "company": {"type": ["string", "null"]},
        "rank": {"type": ["string", "null"]},
        "photo_url": {"type": ["string", "null"]},
        "last_seen_as": {
            "type": "string",
            "description": "Scan results only, when renamed since their last crossing: the "
            "name and time that crossing recorded (the card may still show it).",
        },
    },
}
_ABOARD = {  # a person on board: how and when they boarded, and a rename since
    **_PERSON,
    "properties": {
        **_PERSON["properties"],
        "boarded_at": {"type": "string", "format": "date-time"},
        "access_point": {"type": "string"},
        "renamed": {
            "type": ["string", "null"],
            "description": "Renamed since boarding: 'was OLD, Name until YYYY-MM-DD'.",
        },
    },
}
_SCAN_FIELDS = {
    "access_point": {"type": "string", "description": "Access point code, see /access-points"},
    "direction": {
        "enum": ["auto", *(d.value for d in Direction)],
        "default": "auto",
        "description": "auto: across (a person recorded aboard leaves, one ashore boards); "
        "board or depart: this scan only. A one-way access point allows only its direction.",
    },
    "purpose": {
        "type": "string",
        "maxLength": 200,
        "description": "Only for a visitor with no purpose on record (verdict purpose_needed); "
        "a registered purpose wins, crew and passengers carry none",
    },
}
_RESULT = {
    "type": "object",
    "required": ["verdict", "reasons", "person", "record_id"],
    "properties": {
        "verdict": {"enum": [v.value for v in Verdict]},
        "direction": {"enum": [d.value for d in Direction]},
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "severity": {"enum": [s.value for s in Severity]},
                },
            },
        },
        "person": _PERSON,
        "access_point": {"type": "string"},
        "purpose": {"type": ["string", "null"]},
        "search_required": {
            "type": "boolean",
            "description": "Search, then send the same scan again with search done or declined; "
            "nothing is recorded until then (record_id is null).",
        },
        "escort": {"type": ["object", "null"]},
        "credential": {
            "enum": [*(c.value for c in Credential), None],
            "description": "What was recorded; null while waiting (escort, search)",
        },
        "record_id": {
            "type": ["string", "null"],
            "description": "m-<id> for a movement, r-<id> for a refusal",
        },
    },
}


def openapi_document(*, shore: bool = False) -> dict:
    """Return the API description (the shore server's adds the link and the fleet)."""
    scan_body = {
        "type": "object",
        "description": "A scanned code (badge, IATA BCBP boarding pass, booking reference or "
        "ticket number), or with method 'manual' a person whose ID document was inspected.",
        "required": ["access_point"],
        "properties": {
            "code": {"type": "string", "maxLength": 4096},
            **_SCAN_FIELDS,
            "method": {  # a photo is read on the server (photos.py, Check ID): not posted here
                "enum": [m.value for m in Method if m not in (Method.PHOTO, Method.DOCUMENT)]
            },
            "person_id": {"type": "integer", "description": "manual: the person checked"},
            "document_type": {"type": "string", "description": "manual: e.g. passport"},
            "document_number": {
                "type": "string",
                "description": "manual: as read off the document",
            },
            "escort": {"type": "string", "description": "level 2: the escort's crew badge code"},
            "escort_person_id": {"type": "integer", "description": "level 2: escort picked by id"},
            "escort_declined": {"type": "boolean", "description": "the visitor would not wait"},
            "purpose_declined": {
                "type": "boolean",
                "description": "answer to purpose_needed: the visitor gave no purpose (refused)",
            },
            "search": {"enum": ["done", "declined"], "description": "answer to search_required"},
            "override_reason": {
                "type": "string",
                "description": "master only: one departure while disembarkation is suspended",
            },
            **openapi_offline.SCAN_FIELDS,
        },
    }
    image_body = {
        "type": "object",
        "required": ["image", "access_point"],
        "properties": {"image": {"type": "string", "format": "binary"}, **_SCAN_FIELDS},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Gangway API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR_SCHEMA},
            "responses": {"Unauthorized": UNAUTHORIZED},
        },
        "security": [{"bearer": []}],
        "paths": with_denials(
            {
                "/scans": {
                    "post": {
                        "summary": "Decide and record a scanned code",
                        "requestBody": {"required": True, **_json(scan_body)},
                        "responses": {
                            "201": {"description": "Decided and recorded", **_json(_RESULT)},
                            "200": {"description": openapi_offline.REPLAYED, **_json(_RESULT)},
                            **errors(400, 401, 403, 409),
                        },
                    }
                },
                "/scans/image": {
                    "post": {
                        "summary": "Decode a photo, then decide and record",
                        "requestBody": {
                            "required": True,
                            "content": {"multipart/form-data": {"schema": image_body}},
                        },
                        "responses": {
                            "201": {"description": "Decided and recorded", **_json(_RESULT)},
                            **errors(400, 401, 403, 409, 422),
                        },
                    }
                },
                "/ping": {
                    "get": {
                        "summary": "Check that the server is up and the token works",
                        "responses": {
                            "200": {
                                "description": "Up",
                                **_json(
                                    {
                                        "type": "object",
                                        "properties": {
                                            "ok": {"type": "boolean"},
                                            "role": {"type": "string"},
                                        },
                                    }
                                ),
                            },
                            **errors(401),
                        },
                    }
                },
                "/onboard": {
                    "get": {
                        "summary": "Persons on board now, with counts by kind",
                        "responses": {
                            "200": {
                                "description": "On board",
                                **_json(
                                    {
                                        "type": "object",
                                        "properties": {
                                            "total": {"type": "integer"},
                                            "counts": {"type": "object"},
                                            "persons": {"type": "array", "items": _ABOARD},
                                        },
                                    }
                                ),
                            },
                            **errors(401, 403),
                        },
                    }
                },
                **openapi_badges.PATHS,
                **openapi_documents.PATHS,
                **openapi_lists.PATHS,
                **openapi_jobs.PATHS,
                **openapi_manual.PATHS,
                **openapi_refusals.PATHS,
                **openapi_reports.PATHS,
                **openapi_plan.PATHS,
                **openapi_security.PATHS,
                **openapi_security_report.PATHS,  # issue 19
                **openapi_port_calls.PATHS,
                **openapi_access_log.PATHS,
                **openapi_offline.PATHS,
                **(openapi_shore.PATHS if shore else {}),
                **(openapi_fleet_watch.PATHS if shore else {}),
                **(openapi_facility.PATHS if shore else {}),
                **(openapi_fleet_search.PATHS if shore else {}),
                **(openapi_shore_log.PATHS if shore else {}),  # the ship's /movements, ashore
            }
        ),
    }
