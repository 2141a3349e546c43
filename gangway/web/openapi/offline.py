"""OpenAPI 3.1 pieces for offline tablets: the offline pack, and the late-scan fields of /scans."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content

_ERROR = json_content(ERROR_REF)
_TIME = {"type": "string", "format": "date-time"}
_OPT_TIME = {"type": ["string", "null"], "format": "date-time"}

# Merged into the POST /scans request body.
SCAN_FIELDS = {
    "client_key": {
        "type": "string",
        "format": "uuid",
        "description": "Idempotency key (lower-case UUID). Sent again, the scan is not recorded "
        "twice: the answer is the stored outcome with status 200.",
    },
    "scanned_at": {
        "type": "string",
        "format": "date-time",
        "description": "Device time of a scan sent late (offline queue), with its zone; needs "
        "client_key, and for a past time the pack_id it was checked with. Recorded as the time "
        "of the check (the server's receive time is kept too); refused with 400 if ahead of the "
        "server by more than the clock skew, 5 min (error scanned_at_future), older than 72 "
        "hours, or before its pack was issued (scan_before_pack). The rules are judged at the "
        "later of this time and the pack's issue time. Only a device may claim a past time: a "
        "browser session, or a token the admin marked as a device (else 403 not_a_device). A "
        "late scan allowed that a live check would refuse now is recorded and raised to the "
        "SSO as a refusal entry late_scan_differs.",
    },
    "pack_id": {
        "type": "string",
        "format": "uuid",
        "description": "The offline pack (pack_id of GET /offline-pack) the tablet held when it "
        "checked this scan; needed with a past scanned_at. Unknown: 400 pack_unknown (or "
        "pack_missing); issued to another device: 400 pack_other_device.",
    },
    "offline_verdict": {
        "enum": ["allowed", "refused"],
        "description": "What the offline tablet showed, provisionally; needs scanned_at. The "
        "server decides again on its own records: a refusal stays a refusal (the person did "
        "not cross), an allowance the records refuse becomes a refusal flagged OFFLINE. It "
        "never skips a random search drawn for a scan whose time is now (within a minute).",
    },
    "offline_reason": {
        "type": "string",
        "pattern": "^[a-z_]{1,32}$",
        "description": "The tablet's reason code when it refused",
    },
}
REPLAYED = "Sent before with this client_key: the stored outcome, nothing written"

_PERSON = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "rank": {"type": ["string", "null"]},
        "company": {"type": ["string", "null"]},
        "is_responder": {"type": "boolean"},
        "signed_off": {
            "type": "boolean",
            "description": "Crew signed off: refused boarding, may still leave",
        },
        "aboard": {
            "type": "boolean",
            "description": "Recorded aboard: a scan with direction auto takes them ashore",
        },
        "purpose": {"type": ["string", "null"], "description": "The registered purpose of visit"},
        "work_order_valid_from": _OPT_TIME,
        "work_order_valid_until": _OPT_TIME,
        "watch_listed": {
            "type": ["string", "null"],
            "description": "The watch list reason when the person is on it",
        },
    },
}
_PACK = {
    "type": "object",
    "required": [
        "pack_id",
        "issued_at",
        "generated_at",
        "keys",
        "policy",
        "badges",
        "revoked",
        "csrf_token",
    ],
    "properties": {
        "pack_id": {
            "type": "string",
            "format": "uuid",
            "description": "This pack's id, on record with its issue time and the device it "
            "was issued to: send it back as pack_id with each scan checked with it",
        },
        "issued_at": {
            **_TIME,
            "description": "When the pack was issued: a late scan cannot claim an earlier time "
            "(beyond the clock skew), and is judged with what the pack knew",
        },
        "generated_at": _TIME,
        "max_age_hours": {"type": "integer", "description": "Oldest scan the server accepts"},
        "clock_skew_seconds": {"type": "integer"},
        "keys": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key_id": {"type": "integer"},
                    "alg": {"const": "Ed25519"},
                    "public_key": {
                        "type": "string",
                        "description": "Raw 32-byte key, base64url without padding",
                    },
                },
            },
        },
        "policy": {
            "type": "object",
            "properties": {
                "level": {"enum": [1, 2, 3]},
                "embarkation_suspended": {"type": "boolean"},
                "disembarkation_suspended": {"type": "boolean"},
                "escorted_kinds": {"type": "array", "items": {"type": "string"}},
                "purpose_required_for": {"type": "array", "items": {"type": "string"}},
                "crew_board_at_level_3": {"type": "boolean"},
                "passback_refuse_board": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Kinds of person refused boarding while recorded aboard",
                },
                "passback_refuse_depart": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Kinds of person refused leaving while not recorded aboard",
                },
                "access_points": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "open_levels": {"type": "array", "items": {"type": "integer"}},
                            "one_way": {
                                "enum": ["board", "depart", None],
                                "description": "The only direction the point serves (B/9.14.5)",
                            },
                        },
                    },
                },
            },
        },
        "badges": {
            "type": "array",
            "description": "Badges valid now, later, or lapsed within 30 days (revoked ones too)",
            "items": {
                "type": "object",
                "properties": {
                    "badge_id": {"type": "integer"},
                    "valid_from": _TIME,
                    "valid_until": _TIME,
                    "person": _PERSON,
                },
            },
        },
        "revoked": {"type": "array", "items": {"type": "integer"}, "description": "Badge ids"},
        "csrf_token": {
            "type": ["string", "null"],
            "description": "For session callers: send as X-CSRFToken with the queued scans "
            "(null for a bearer token)",
        },
    },
}

PATHS = {
    "/offline-pack": {
        "get": {
            "summary": "Keys, badge roster, revoked badges and plan basics for offline checks",
            "description": "Read-only; the watch tablet fetches it every few minutes while "
            "online and verifies badges with it (Ed25519) when the network is down. No photos "
            "and no document numbers.",
            "responses": {
                "200": {
                    "description": "The offline pack",
                    "content": {"application/json": {"schema": _PACK}},
                },
                "401": {"description": "Not authenticated", **_ERROR},
                "403": {"description": "Role not allowed", **_ERROR},
            },
        }
    }
}
