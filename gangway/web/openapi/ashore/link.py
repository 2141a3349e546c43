"""OpenAPI 3.1 path items of the shore server (merged into the shore's document only): the
ship-to-shore link (protocol v1, a ship's link token) and the CSO's fleet."""

from __future__ import annotations

from gangway.domain.shore.batches import CODES
from gangway.domain.shore.wire import MAX_ENTRIES
from gangway.web.openapi.common import error, json_content

_LINK = (
    "Shore server only. Authorization: Bearer <the ship's link token> (gws_..., printed once by "
    "`gangway shore add-ship`); a user's login or API token is not a ship's."
)
_HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_TIME = {"type": "string", "format": "date-time"}
_ENTRY = {
    "type": "object",
    "required": ["seq", "kind", "digest", "prev_hash", "entry_hash", "recorded_at"],
    "properties": {
        "seq": {"type": "integer", "minimum": 1},
        "kind": {"type": "string", "maxLength": 40},
        "record_table": {"type": ["string", "null"], "maxLength": 64},
        "record_id": {"type": ["integer", "null"], "minimum": 0},
        "digest": _HASH,
        "payload": {"type": ["string", "null"], "description": "An event's canonical JSON"},
        "prev_hash": _HASH,
        "entry_hash": _HASH,
        "recorded_at": _TIME,
        "fields": {"type": ["array", "null"], "items": {"type": "string"}},
        "content": {
            "type": ["object", "null"],
            "description": "The row's content whose digest over `fields` is the entry's digest; "
            "null when the row changed since (a later entry carries it)",
        },
    },
}
_STATUS = {
    "type": ["object", "null"],
    "properties": {
        "security_level": {"type": "integer", "minimum": 1, "maximum": 3},
        "level_since": {"type": ["string", "null"], "format": "date-time"},
        "port_call": {"type": ["object", "null"]},
        "on_board": {"type": "object", "additionalProperties": {"type": "integer"}},
        "refusals_open": {"type": "integer", "minimum": 0},
        "overstaying": {"type": "integer", "minimum": 0},
        "records_waiting": {"type": "integer", "minimum": 0},
    },
}
_BATCH = {
    "type": "object",
    "required": ["protocol", "imo", "entries"],
    "properties": {
        "protocol": {"const": 1},
        "imo": {"type": "string", "pattern": "^[0-9]{7}$"},
        "entries": {"type": "array", "maxItems": MAX_ENTRIES, "items": _ENTRY},
        "status": _STATUS,
    },
}
_HEAD = {
    "type": "object",
    "properties": {
        "imo": {"type": "string"},
        "seq": {"type": "integer", "description": "0 when nothing is held yet"},
        "entry_hash": {**_HASH, "description": "'0' x 64 when nothing is held yet"},
        "chain_status": {"enum": ["ok", "diverged"]},
        "diverged_at": {"type": ["integer", "null"]},
    },
}
_TAKEN = {
    "type": "object",
    "properties": {
        "head": {
            "type": "object",
            "properties": {"seq": {"type": "integer"}, "entry_hash": _HASH},
        },
        "accepted": {"type": "integer", "description": "Entries added"},
        "already_held": {"type": "integer", "description": "Entries sent before, identical"},
    },
}
_REFUSED = {
    "type": "object",
    "properties": {
        "error": {"enum": ["diverged", "wrong_ship"]},
        "seq": {"type": ["integer", "null"], "description": "The first entry at fault"},
        "message": {
            "type": "string",
            "description": f"Starts with the divergence's code, one of {', '.join(CODES)}",
        },
    },
}
_SHIP = {
    "type": "object",
    "properties": {
        "imo": {"type": "string"},
        "name": {"type": "string"},
        "last_contact_at": {"type": ["string", "null"], "format": "date-time"},
        "security_level": {"type": ["integer", "null"]},
        "level_since": {"type": ["string", "null"], "format": "date-time"},
        "port_call": {"type": ["object", "null"]},
        "on_board": {"type": "object", "description": "Persons on board by kind"},
        "refusals_open": {"type": ["integer", "null"]},
        "overstaying": {"type": ["integer", "null"]},
        "records": {"type": "integer", "description": "Chain entries held ashore"},
        "records_waiting": {"type": ["integer", "null"]},
        "chain_head": {
            "type": "object",
            "properties": {"seq": {"type": "integer"}, "entry_hash": _HASH},
        },
        "chain_status": {"enum": ["ok", "diverged"]},
        "diverged_at": {"type": ["integer", "null"]},
        "alerts": {"type": "integer", "description": "Refused batches kept aside"},
    },
}

PATHS: dict = {
    "/shore/head": {
        "get": {
            "summary": "The head of the ship's chain held ashore: where the ship resumes",
            "description": _LINK,
            "responses": {"200": {"description": "The head", **json_content(_HEAD)}},
        }
    },
    "/shore/batches": {
        "post": {
            "summary": "Send the next entries of the ship's chain, with each record's content",
            "description": f"{_LINK} The body is gzip (Content-Encoding: gzip) of the JSON; at "
            "most 8 MB sent and 64 MB unpacked. Entries the shore holds already are skipped.",
            "requestBody": {"required": True, **json_content(_BATCH)},
            "responses": {
                "200": {"description": "Verified and added", **json_content(_TAKEN)},
                "403": {"description": "wrong_ship: kept aside", **json_content(_REFUSED)},
                "409": {
                    "description": "diverged: nothing added; kept aside; the CSO is told",
                    **json_content(_REFUSED),
                },
                "413": error("Too large: nothing kept"),
            },
        }
    },
    "/shore/photos/{person_id}/{photo}": {
        "put": {
            "summary": "Upload a photo the ship's SSO sent ashore (issue 17: photos stay on board "
            "unless the SSO sends one)",
            "description": f"{_LINK} The body is the JPEG (Content-Type: image/jpeg, at most "
            "2 MB), the header X-Photo-SHA256 its SHA-256 (hex). Kept only if an entry "
            "`photo.sent_ashore` of the ship's chain held ashore names this person, photo and "
            "SHA-256; the same photo again changes nothing.",
            "parameters": [
                {
                    "name": "person_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                    "description": "The person's record id on board",
                },
                {
                    "name": "photo",
                    "in": "path",
                    "required": True,
                    "schema": {"enum": ["id", "document"]},
                },
                {"name": "X-Photo-SHA256", "in": "header", "required": True, "schema": _HASH},
            ],  # fmt: skip
            "requestBody": {
                "required": True,
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            },
            "responses": {
                "200": {"description": "Kept (or held already)"},
                "400": error("bad_photo: not the JPEG whose SHA-256 was sent"),
                "409": error("not_sent: no entry of the chain sends this photo; kept nowhere"),
                "413": error("Too large: nothing kept"),
            },
        }
    },
    "/fleet": {
        "get": {
            "summary": "Every ship of the fleet as it last reported (the CSO's fleet page)",
            "description": "Shore server only; role cso.",
            "responses": {
                "200": {
                    "description": "One object per ship, by name",
                    **json_content({"type": "array", "items": _SHIP}),
                }
            },
        }
    },
}
