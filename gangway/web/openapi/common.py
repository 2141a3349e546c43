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
# Every operation's 401: no session and no bearer token, or a bad token (auth._api_unauthorized).
UNAUTHORIZED = {
    "description": "Not authenticated: no login and no bearer token, or a bearer token that is "
    "unknown or revoked (or its user disabled); error is unauthorized",
    "headers": {
        "WWW-Authenticate": {
            "description": 'Bearer realm="gangway"; with error="invalid_token" when the bearer '
            "token sent is unknown or revoked, or its user disabled (RFC 6750)",
            "schema": {"type": "string"},
        }
    },
    "content": {"application/json": {"schema": ERROR_REF}},
}
UNAUTHORIZED_REF = {"$ref": "#/components/responses/Unauthorized"}
# Times the API takes: RFC 3339 (what `format: date-time` means), e.g. the first of these.
TIME_EXAMPLES = ["2026-11-22T16:00:00Z", "2026-11-22T18:00:00+02:00"]
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


def time_input(words: str, *, blank: str | None = None, nullable: bool = False) -> dict:
    """Return the schema of a time the API takes: RFC 3339 with `Z` or an offset.

    `blank` says what an empty string means where one is read as not sent (it is no date-time,
    so it gets its own branch); a time written without an offset is read as UTC, as the pages'
    fields are, but only the RFC 3339 form is documented.
    """
    schema = {
        "type": ["string", "null"] if nullable else "string",
        "format": "date-time",
        "description": f"{words}. RFC 3339, with Z or an offset, e.g. {TIME_EXAMPLES[0]}",
        "examples": TIME_EXAMPLES,
    }
    if blank is None:
        return schema
    return {"anyOf": [schema, {"const": "", "description": blank}]}


def with_denials(paths: dict) -> dict:
    """Document 400, 401 and 403 on every operation: every route needs a login and a role, and
    refuses a text it cannot store (NUL, control characters, lone surrogates: input_text.py).
    The 401 is the one shared response, with its WWW-Authenticate challenge."""
    for item in paths.values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for code in (400, 403):
                responses.setdefault(str(code), error(WORDS[code]))
            responses["401"] = UNAUTHORIZED_REF
    return paths
