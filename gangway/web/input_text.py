"""Refuse unreadable input before any view sees it: one place for every text field.

NUL and other control characters (tab, line feed and carriage return excepted: notes have
lines), lone surrogates ("\\udc80": valid JSON, but no text a database can store) and JSON
nested deeper than any of our shapes are refused with a 400 that says which field and why,
before a view, a service or the database (PostgreSQL refuses NUL in text) is reached. Checked:
query strings, URL parts, form fields and file names, and every key and string of a JSON body.
"""

from __future__ import annotations

import re

from flask import request
from werkzeug.exceptions import BadRequest

MAX_JSON_DEPTH = 16  # our deepest shape (a list import's rows of cells) is 4
# C1 controls (U+0080-U+009F) too: no one types them, and U+0085 (NEL) is whitespace to
# str.strip(), so a text padded with it would pass every length check once trimmed.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class UnreadableInput(BadRequest):
    """Input no field can hold; `field` names it and `description` says why, in words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def problem(text: str) -> str | None:
    """Return what is wrong with a text value, or None when it is storable text."""
    found = _UNREADABLE.search(text)
    if found is None:
        return None
    if "\ud800" <= found.group() <= "\udfff":
        return "contains an invalid character (a lone UTF-16 surrogate)"
    return f"contains a control character (U+{ord(found.group()):04X})"


def check_request() -> None:
    """Refuse the request if any of its text fields is unreadable (run before every view).

    :raises UnreadableInput: naming the first bad field.
    """
    for where, items in (("query", request.args), ("url", request.view_args or {})):
        _check_items(where, items.items(multi=True) if where == "query" else items.items())
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json:
        _check_json()
    elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        _check_items("form", request.form.items(multi=True))
        files = ((name, f.filename or "") for name, f in request.files.items(multi=True))
        _check_items("file name", files)


def _check_items(where: str, items) -> None:
    # Names are not checked: no view reads a field it does not know by its (clean) name.
    for name, value in items:
        if isinstance(value, str) and (why := problem(value)):
            field = name if isinstance(name, str) and problem(name) is None else where
            raise UnreadableInput(field, f"The field {_shown(field)} {why}.")


def _check_json() -> None:
    try:
        body = request.get_json(silent=True)  # parsed once, cached for the view
    except RecursionError:
        raise UnreadableInput("body", _too_deep()) from None
    stack = [(body, 1, "body")]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise UnreadableInput("body", _too_deep())
            pairs = value.items() if isinstance(value, dict) else ((field, v) for v in value)
            for key, item in pairs:
                if isinstance(key, str) and (why := problem(key)):
                    raise UnreadableInput("body", f"A field name {why}.")
                stack.append((item, depth + 1, key if isinstance(value, dict) else field))
        elif isinstance(value, str) and (why := problem(value)):
            raise UnreadableInput(field, f"The field {_shown(field)} {why}.")


def _too_deep() -> str:
    return f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)."


def _shown(field: str) -> str:
    """Return a field name fit to quote back (it passed the check itself)."""
    return repr(field[:40])
