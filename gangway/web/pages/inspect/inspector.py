"""The port state control officer's read-only pages, opened by a code or a one-time link.

No route here asks for a login or a role: each asks for the inspection scope (scope.py), and no
other route accepts that scope. Opening by link is a POST behind the link's page, so a link
preview or a prefetch never uses the one-time link up; each page read is chained.
"""

from __future__ import annotations

import math

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from gangway.db.types import utcnow
from gangway.domain.inspections.access import PAGES
from gangway.extensions import db
from gangway.services.inspections.access import (
    AccessEnded,
    link_problem,
    open_by_code,
    open_by_link,
    scope_key,
)
from gangway.services.inspections.pages import inspection_page
from gangway.web.pages.inspect.scope import (
    CODES,
    clear_scope,
    code_client,
    code_throttle,
    read_scope,
    set_scope,
)
from gangway.web.presenters import utc_and_local

bp = Blueprint("inspect", __name__, url_prefix="/inspect")
LINK = "<string(length=32):token>"
PAGE = "<any(" + ", ".join(key for key, _ in PAGES) + "):page>"
WRONG_CODE = "That code is not right. Check it with the SSO and type it again."


def inspection_route(view):
    """Mark a view as the inspector's: it needs no login (the route-table test reads this)."""
    view.inspection = True
    return view


@bp.context_processor
def _inspection_context():
    return {"pages": PAGES, "when": _when}


def _when(at, zone: str | None = None) -> str:
    return utc_and_local(at, zone)


@bp.after_request
def _not_kept(response):
    """Keep no copy of the records in the officer's browser once the access has ended."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def _stale_form(_exc):
    """A form kept open too long (its token lost): type the code again, never the login page."""
    return _code_page("The page had expired: type the code again.", 400)


@bp.get("")
@inspection_route
def code():
    """Show the form where the officer types the code the SSO reads out."""
    return _code_page()


@bp.post("")
@inspection_route
def submit_code():
    """Open the access whose code was typed; wrong codes wait longer each time, never a lock."""
    throttle, client = code_throttle(), code_client()
    if (wait := throttle.wait_s(CODES, client)) > 0:
        seconds = math.ceil(wait)
        response = _code_page(f"Too many wrong codes: wait {seconds} s, then try again.", 429)
        response.headers["Retry-After"] = str(seconds)
        return response
    try:
        access = open_by_code(db.session, request.form.get("code"), now=utcnow())
    except AccessEnded as exc:
        return _ended(exc)
    if access is None:
        throttle.failed(CODES, client)
        return _code_page(WRONG_CODE, 401)
    return _opened(access)


@bp.get("/" + LINK)
@inspection_route
def link(token: str):
    """Show the one-time link's page: a button opens the records (a GET never uses it up)."""
    if problem := link_problem(db.session, token, now=utcnow()):
        return _ended(AccessEnded(problem))
    return render_template("inspect/link.html", token=token)


@bp.post("/" + LINK)
@inspection_route
def open_link(token: str):
    """Open the access of a one-time link and use the link up."""
    try:
        access = open_by_link(db.session, token, now=utcnow())
    except AccessEnded as exc:
        return _ended(exc)
    return _opened(access)


@bp.get("/view/" + PAGE)
@inspection_route
def view(page: str):
    """Show one page of the records to an open access; the view is chained."""
    scope = read_scope()
    if scope is None:
        return redirect(url_for("inspect.code"))
    raw = request.args.get("p", "1")
    log_page = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 else 1
    try:
        values = inspection_page(db.session, *scope, page, now=utcnow(), log_page=max(log_page, 1))
    except AccessEnded as exc:
        return _ended(exc)
    return render_template(f"inspect/{page}.html", page=page, **values)


@bp.post("/end")
@inspection_route
def end():
    """Close the inspection on this browser (the SSO revokes the access itself)."""
    response = redirect(url_for("inspect.code", ended=1))
    clear_scope(response)
    return response


def _opened(access):
    response = redirect(url_for("inspect.view", page=PAGES[0][0]))
    set_scope(response, access.id, scope_key(access), access.expires_at)
    return response


def _code_page(error: str | None = None, status: int = 200):
    ended = request.args.get("ended") == "1"
    html = render_template("inspect/code.html", error=error, ended=ended)
    return make_response(html, status)


def _ended(exc: AccessEnded):
    """Refuse an access that has ended (or a link used or unknown) in plain words; forget it."""
    response = make_response(render_template("inspect/ended.html", message=exc.message), 403)
    clear_scope(response)
    return response
