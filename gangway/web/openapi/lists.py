"""OpenAPI 3.1 path items for the crew and passenger list imports (merged into openapi.py)."""

from __future__ import annotations

from gangway.domain.lists.crew_lists import spec_for
from gangway.services.lists.workbooks import XLSX_TYPE
from gangway.web.openapi.common import ERROR_REF, error, json_content

_PROBLEM = {
    "type": "object",
    "required": ["line", "column", "message"],
    "properties": {
        "line": {
            "type": "integer",
            "description": "As a spreadsheet shows it; header = 1, 0 = file",
        },
        "column": {"type": ["string", "null"]},
        "message": {"type": "string"},
        "sheet": {"type": ["string", "null"], "description": "The workbook's sheet; null: CSV"},
    },
}
_RESULT = {
    "type": "object",
    "required": ["created", "updated", "unchanged", "warnings"],
    "properties": {
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "unchanged": {"type": "integer"},
        "warnings": {"type": "array", "items": _PROBLEM},
        "dry_run": {"type": "boolean"},
        "sheet": {
            "type": ["string", "null"],
            "description": "The workbook's sheet read (the first headed as the list); null: CSV",
        },
    },
}
_INVALID = {
    "type": "object",
    "required": ["error", "message", "problems"],
    "properties": {
        "error": {"const": "invalid_list"},
        "message": {"type": "string"},
        "problems": {"type": "array", "items": _PROBLEM},
    },
}
JOB = {
    "type": "object",
    "required": ["job", "status", "location"],
    "properties": {
        "job": {"type": "integer"},
        "status": {"enum": ["queued", "running", "done", "failed"]},
        "location": {"type": "string"},
        "result": {
            "description": "When done: the import's answer, or the list's problems (refused)",
            "anyOf": [_RESULT, _INVALID, {"type": "null"}],
        },
        "error": {"type": ["string", "null"], "description": "When failed: why, in words"},
    },
}
_ERRORS = {
    "401": "Not authenticated",
    "403": "Role not allowed",
    "413": "Larger than 2 MB; nothing imported",
}


def _import(kind: str, form: str) -> dict:
    csv_body = {"schema": {"type": "string"}}
    return {
        "post": {
            "summary": f"Import a {form}: create and update persons (all or nothing)",
            "description": (
                f"Columns: {', '.join(spec_for(kind).header)}. A CSV file (UTF-8) or an Excel"
                " workbook (.xlsx, no macros; the first sheet whose first row is the header)."
            ),
            "parameters": [
                {
                    "name": "dry_run",
                    "in": "query",
                    "schema": {"enum": ["0", "1"]},
                    "description": "1: return what would change, write nothing",
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "text/csv": csv_body,
                    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    },
                },
            },
            "responses": {
                "200": {"description": "Imported (or previewed)", **json_content(_RESULT)},
                "202": {
                    "description": (
                        "Queued for a worker process: poll the job at `Location` (every "
                        "`Retry-After` seconds) until its status is done (result) or failed"
                    ),
                    **json_content(JOB),
                },
                "422": {
                    "description": "Problems in the list, or no list sent; nothing imported",
                    **json_content({"anyOf": [_INVALID, ERROR_REF]}),
                },
                **{code: error(words) for code, words in _ERRORS.items()},
            },
        }
    }


def _template(kind: str) -> dict:
    return {
        "get": {
            "summary": f"The empty {kind} list: the header row only",
            "responses": {
                "200": {"description": "CSV header", "content": {"text/csv": {}}},
                **{code: error(words) for code, words in _ERRORS.items() if code != "413"},
            },
        }
    }


PATHS: dict = {
    "/imports/crew": _import("crew", "crew list (IMO FAL Form 5)"),
    "/imports/passengers": _import("passengers", "passenger list (IMO FAL Form 6)"),
    "/imports/crew/template.csv": _template("crew"),
    "/imports/passengers/template.csv": _template("passengers"),
}
