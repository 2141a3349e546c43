"""Any port call ashore (shore server only, issue 17 point 4): a ship's calls for the CSO, and a
call's access log and report, the same pages as on board, read only. The PFSO ashore reads the
calls at their facility here too; any other call is not found (404)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from gangway.background.queue import is_inline
from gangway.domain.reporting.access_log import SORTS, BadFilters, LogFilters, parse_filters
from gangway.domain.reporting.log_rows import RowsPage
from gangway.extensions import db, htmx
from gangway.render.access_log_rows import present_row
from gangway.render.reports.html import PARTS, render_report_html, render_report_page
from gangway.services.shore.call_log import call_log, fleet_ship, ship_call, ship_calls
from gangway.services.shore.call_report import (
    build_call_report,
    latest_sign_off,
    signature_state,
)
from gangway.services.shore.facility import Call
from gangway.web.downloads import deferred_download, deferred_result
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.pages.records.pfso import FILTER_ARGS
from gangway.web.pages.records.reports import streamed_parts
from gangway.web.presenters import utc_and_local
from gangway.web.roles import can, permission_required

bp = Blueprint("shore_log", __name__, url_prefix="/ships")


@bp.get("/<imo>/")
@permission_required("fleet.read")
def ship(imo: str):
    """List a ship's port calls, the latest first, each with its log and report."""
    found = fleet_ship(db.session, imo) or abort(404)
    calls = ship_calls(db.session, current_user, found)
    return render_template("shore_log/ship.html", ship=found, calls=calls, when=utc_and_local)


@bp.get("/<imo>/log")
@permission_required("shore_log.read")
def log(imo: str):
    """Show the filtered log of one of the ship's calls (default: the latest readable)."""
    return log_page(imo, request.args.get("port_call", ""))


@bp.get("/<imo>/log.csv")
@permission_required("shore_log.read")
def log_csv(imo: str):
    """Download the call's whole filtered log (every page) as CSV, made by a worker process."""
    ship = fleet_ship(db.session, imo) or abort(404)
    call = _chosen(
        ship, ship_calls(db.session, current_user, ship), request.args.get("port_call", "")
    )
    try:
        parse_filters(request.args)  # a bad filter is told at once, not by the worker
    except BadFilters as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    if call is None:
        abort(404)
    args = {k: request.args[k] for k in sorted(request.args) if k not in ("job", "port_call")}
    params = {"imo": imo, "call_id": call.call_id, "role": current_user.role, "args": args}
    key = f"shore_access_log_csv:{current_user.id}:{imo}:{call.call_id}:{urlencode(args)}"
    return deferred_download("shore_access_log_csv", key, params, what="the access log (CSV)")


def log_page(imo: str, raw_call: str | int):
    """Render the log page of the ship's call asked for; 404 for one the reader may not read."""
    found = fleet_ship(db.session, imo) or abort(404)
    calls = ship_calls(db.session, current_user, found)
    call = _chosen(found, calls, str(raw_call))
    try:
        filters, problems = parse_filters(request.args), []
    except BadFilters as exc:
        filters, problems = LogFilters(), exc.problems
    page = call_log(db.session, call, filters) if call else RowsPage([], 0, 1, 1)
    rows = [present_row(r, {call.call_id: call}, current_user.role) for r in page.rows]
    args = {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}
    args |= {"imo": imo, "port_call": call.call_id} if call else {"imo": imo}
    html = render_page_or_fragment(
        "shore_log/log.html",
        "pfso/_log.html",
        ship=found,
        calls=calls,
        call=call,
        rows=rows,
        found=page,
        filters=filters,
        problems=problems,
        args=args,
        sorts=SORTS,
        log_endpoint="shore_log.log",
        csv_endpoint="shore_log.log_csv",
        report_url=url_for("shore_log.report", imo=imo, call_id=call.call_id) if call else None,
    )
    return html, 400 if problems and not htmx else 200


def _chosen(ship, calls: list[Call], raw: str) -> Call | None:
    """Return the call asked for (default: the latest); abort 404 for one not readable."""
    raw = raw.strip()
    if not raw:
        if not calls and can(current_user, "port_calls.facility_only"):
            abort(404)  # a ship that never called at the PFSO's facility: not disclosed
        return calls[0] if calls else None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        abort(404)
    return ship_call(db.session, current_user, ship, int(raw)) or abort(404)


@bp.get("/<imo>/calls/<int:call_id>/report")
@permission_required("shore_log.read")
def report(imo: str, call_id: int):
    """Show the call's end-of-call report as on board, read only (no sign-off ashore); its long
    part is rendered by a worker process as on board (202 and a progress page until then)."""
    ship, call = readable(imo, call_id)
    links = {"pdf": url_for("shore_log.report_pdf", imo=imo, call_id=call_id), "csv": None}
    if is_inline(current_app):
        built = build_call_report(db.session, ship, call)
        state = signature_state(db.session, ship, call, built)
        return render_report_html(built, state, can_sign=False, links=links)

    def page(path, job):
        shown = json.loads(path.read_text())["hash"]
        sign_off = latest_sign_off(db.session, ship, call)
        state = (sign_off, shown, bool(sign_off and sign_off.content_hash != shown))
        marks = {name: f"<!--gangway-part:{name}:{job.id}-->" for name in PARTS}
        around = render_report_page(call, marks, state, can_sign=False, snapshot=None, links=links)
        return Response(streamed_parts(around, marks, path.parent), mimetype="text/html")

    params = {"imo": imo, "call_id": call_id}
    key = f"shore_report_html:{imo}:{call_id}"
    return deferred_result(
        "shore_report_html", key, params, what="the report", answer=page, page=True
    )


@bp.get("/<imo>/calls/<int:call_id>/report.pdf")
@permission_required("shore_log.read")
def report_pdf(imo: str, call_id: int):
    """Download the call's report as a PDF, made by a worker process as on board."""
    readable(imo, call_id)
    params = {"imo": imo, "call_id": call_id}
    key = f"shore_report_pdf:{imo}:{call_id}"
    return deferred_download("shore_report_pdf", key, params, what="the report PDF")


def readable(imo: str, call_id: int):
    """Return (ship, call) if the reader may read the call, else abort 404."""
    ship = fleet_ship(db.session, imo) or abort(404)
    return ship, ship_call(db.session, current_user, ship, call_id) or abort(404)
