"""What every OpenAPI module shares: the one Error schema and the error responses built on it."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Stable code, e.g. bad_input, not_found"},
        "field": {"type": ["string", "null"], "description": "The input at fault, if one is"},
        "message": {"type": "string", "description": "Plain words for the person"},
    },
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
WORDS = {
    400: "Bad input; nothing written",
    401: "Not authenticated",
    403: "Role not allowed",
    404: "Not found",
    413: "Upload too large; nothing written",
    422: "Nothing readable in the upload; nothing written",
    # error "records_mismatch": the level, plan or presence differs from the audit chain
    409: "Records do not match the audit chain: nothing decided nor written; the SSO is told",
}


def json_content(schema: dict) -> dict:
    """Return a response or request body part holding JSON of this schema."""
    return {"content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict:
    """Return a response described in words whose body is the shared Error."""
    return {"description": description, **json_content(ERROR_REF)}


def errors(*codes: int) -> dict:
    """Return the Error responses for these status codes, in the usual words."""
    return {str(code): error(WORDS[code]) for code in codes}


def with_denials(paths: dict) -> dict:
    """Document 400, 401 and 403 on every operation: every route needs a login and a role, and
    refuses a text it cannot store (NUL, control characters, lone surrogates: input_text.py)."""
    for item in paths.values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for code in (400, 401, 403):
                responses.setdefault(str(code), error(WORDS[code]))
    return paths
