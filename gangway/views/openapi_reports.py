"""OpenAPI paths of the end-of-port-call report (merged into openapi.openapi_document)."""

from __future__ import annotations

_ERR = {"description": "Error", "content": {"application/json": {"schema": {"type": "object"}}}}
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
}
