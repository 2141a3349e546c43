"""The PFSO's read-only shore-side access log (ISPS A/10.1); the ship's officers may read it too.

There are no write routes here at all: the port facility reads what the ship recorded.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from gangway.db.models import PortCall
from gangway.domain.reporting.access_log import SORTS, BadFilters, LogFilters, parse_filters
from gangway.extensions import db, htmx
from gangway.render.access_log_rows import present_row
from gangway.services.access_log.access_log import access_log
from gangway.services.reports.port_call_report import may_read
from gangway.services.ship.port_calls import may_read_call, port_calls_for
from gangway.web.downloads import deferred_download
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.roles import permission_required

bp = Blueprint("pfso", __name__, url_prefix="/pfso")
FILTER_ARGS = ("direction", "kind", "outcome", "purpose", "point", "from", "to", "q")


@bp.get("/")
@permission_required("log.read")
def index():
    """Go to the access log."""
    return redirect(url_for("pfso.log"))


@bp.get("/log")
@permission_required("log.read")
def log():
    """Show the filtered log of one port call the reader may see."""
    calls, call = chosen_call()
    filters, problems = _filters()
    found = access_log(db.session, [call.id] if call else [], filters)
    rows = [present_row(r, {call.id: call}, current_user.role) for r in found.rows]
    html = render_page_or_fragment(
        "pfso/log.html",
        "pfso/_log.html",
        calls=calls,
        call=call,
        rows=rows,
        found=found,
        filters=filters,
        problems=problems,
        args=_kept_args(call),
        sorts=SORTS,
        report_url=_report_url(call),
    )
    return html, 400 if problems and not htmx else 200


@bp.get("/log.csv")
@permission_required("log.read")
def log_csv():
    """Download the whole filtered log (every page) as CSV, made by a worker process."""
    _, call = chosen_call()
    try:
        parse_filters(request.args)  # a bad filter is told at once, not by the worker
    except BadFilters as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    args = {name: request.args[name] for name in sorted(request.args) if name != "job"}
    call_id = call.id if call else None
    params = {"call_id": call_id, "role": current_user.role, "args": args}
    key = f"access_log_csv:{current_user.id}:{call_id}:{urlencode(args)}"
    return deferred_download("access_log_csv", key, params, what="the access log (CSV)")


def chosen_call() -> tuple[list[PortCall], PortCall | None]:
    """Return the port calls the reader may see and the one asked for (default: the newest).

    Aborts 403 for a port call at another facility and 404 for one that does not exist.
    """
    calls = port_calls_for(db.session, current_user)
    raw = request.args.get("port_call", "").strip()
    if not raw:
        return calls, calls[0] if calls else None
    # ASCII digits only ("²".isdigit() is true) and within the id column's range.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        abort(404)
    call = db.get_or_404(PortCall, int(raw))
    if not may_read_call(call, current_user):
        abort(403)
    return calls, call


def _report_url(call: PortCall | None) -> str | None:
    """Return the link to the call's report if the reader may read it (the admin may not)."""
    if call is None or not may_read(current_user, call):
        return None
    return url_for("reports.show", call_id=call.id)


def _filters() -> tuple[LogFilters, list[tuple[str, str]]]:
    try:
        return parse_filters(request.args), []
    except BadFilters as exc:
        return LogFilters(), exc.problems


def _kept_args(call: PortCall | None) -> dict:
    """Return the query parameters that sort links, pages and the CSV link carry along."""
    kept = {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}
    if call:
        kept["port_call"] = call.id
    return kept
