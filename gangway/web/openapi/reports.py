"""OpenAPI paths of the end-of-port-call report (merged into openapi.openapi_document)."""

from __future__ import annotations

from gangway.web.openapi.common import ERROR_REF, json_content

_ERR = json_content(ERROR_REF)
_ID = {"name": "call_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ROLES = "sso and master: every call; pfso: calls at their own facility."


def _path(summary: str, mimetype: str, schema: dict) -> dict:
    return {
        "get": {
            "summary": summary,
            "description": _ROLES,
            "parameters": [_ID],
            "responses": {
                "200": {"description": summary, "content": {mimetype: {"schema": schema}}},
                "401": {**_ERR, "description": "Not authenticated"},
                "403": {**_ERR, "description": "Role or facility not allowed"},
                "404": {**_ERR, "description": "No such port call"},
            },
        }
    }


_BINARY = {"type": "string", "format": "binary"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}
_FILE = {
    "type": "object",
    "required": ["kind", "label", "name", "sha256", "size", "url"],
    "properties": {
        "kind": {"type": "string", "enum": ["pdf", "csv", "html"]},
        "label": {"type": "string"},
        "name": {"type": "string"},
        "sha256": {"type": "string", "description": "Recorded when the file was written"},
        "size": {"type": ["integer", "null"], "description": "Null: missing from the disk"},
        "url": {"type": "string"},
    },
}
_SNAPSHOT = {
    "type": "object",
    "required": ["port_call_id", "state", "files"],
    "properties": {
        "port_call_id": {"type": "integer"},
        "state": {
            "type": "string",
            "enum": ["none", "pending", "ready", "failed"],
            "description": "none: not closed yet (or closed before reports were stored)",
        },
        "requested_at": _TIME,
        "generated_at": _TIME,
        "content_hash": {**_TEXT, "description": "SHA-256 of the records the report holds"},
        "error": {**_TEXT, "description": "Why it failed (not shown to the PFSO)"},
        "mailed_to": _TEXT,
        "files": {"type": "array", "items": _FILE},
        "revised": {
            "type": "boolean",
            "description": "This copy revises an earlier one: records reached the call later",
        },
        "revision": {
            "type": ["string", "null"],
            "enum": ["pending", "failed", None],
            "description": "A newer revision being generated, or that failed (this copy stands)",
        },
    },
}
_REVISE = {
    "summary": "Store a revised copy of a closed call's report (SSO only)",
    "description": "Records that reach a closed call later (an offline tablet's scans) ask for "
    "one themselves; this asks for it by hand. The earlier copies are kept.",
    "parameters": [_ID],
    "responses": {
        "202": {
            "description": "Queued, or one is already waiting to be generated",
            **json_content(
                {
                    "type": "object",
                    "required": ["port_call_id", "outcome", "snapshot_id"],
                    "properties": {
                        "port_call_id": {"type": "integer"},
                        "outcome": {"enum": ["queued", "waiting"]},
                        "snapshot_id": {"type": ["integer", "null"]},
                    },
                }
            ),
        },
        "401": {**_ERR, "description": "Not authenticated"},
        "403": {**_ERR, "description": "Role not allowed"},
        "404": {**_ERR, "description": "No such port call"},
        "409": {**_ERR, "description": "The call is open: its report is stored when it closes"},
    },
}


def _stored(kind: str, mimetype: str) -> dict:
    schema = {"type": "string"} if kind == "html" else _BINARY
    operation = _path(f"The {kind} file of the report stored at close", mimetype, schema)
    operation["get"]["responses"]["404"]["description"] = "No such port call or stored file"
    operation["get"]["responses"]["409"] = {
        **_ERR,
        "description": (
            "The file no longer matches the SHA-256 recorded when it was stored, or the recorded "
            "SHA-256 no longer match the audit chain"
        ),
    }
    return operation


PATHS = {
    "/port-calls/{call_id}/report.html": _path(
        "End-of-port-call report as HTML", "text/html", {"type": "string"}
    ),
    "/port-calls/{call_id}/report.pdf": _path(
        "End-of-port-call report as PDF", "application/pdf", _BINARY
    ),
    "/port-calls/{call_id}/report.csv.zip": _path(
        "Movements, refusals, level changes and declarations as CSV files in a zip",
        "application/zip",
        _BINARY,
    ),
    "/port-calls/{call_id}/report-snapshot": _path(
        "The report stored when the call was closed: state, files and their SHA-256",
        "application/json",
        _SNAPSHOT,
    ),
    "/port-calls/{call_id}/report-revisions": {"post": _REVISE},
    **{
        f"/port-calls/{{call_id}}/report-snapshot/{kind}": _stored(kind, mimetype)
        for kind, mimetype in (
            ("pdf", "application/pdf"),
            ("csv", "application/zip"),
            ("html", "text/html"),
        )
    },
}
