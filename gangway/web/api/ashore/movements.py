"""GET /api/v1/movements ashore (issue 17): a ship's access log, with the ship filter.

The same filters and row shape as on board (web/api/port_calls.py); `ship` (IMO number) is
required. The CSO reads any ship's calls, the PFSO ashore only those at their facility; an
unknown ship, or a call the reader may not read, is not found (404). Registered in place of the
ship's view by gangway.web.register on the shore server only.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import jsonify, request
from flask_login import current_user

from gangway.domain.reporting.access_log import BadFilters, parse_filters
from gangway.domain.reporting.log_rows import RowsPage
from gangway.extensions import db
from gangway.render.access_log_rows import present_row, row_json
from gangway.render.port_calls import port_call_json
from gangway.services.shore.call_log import (
    call_log,
    call_record,
    fleet_ship,
    ship_call,
    ship_calls,
)
from gangway.web.roles import can, permission_required


@permission_required("shore_log.read")
def movements():
    """Return one page of the access log of a ship's call (default: its latest readable)."""
    problems = []
    imo = (request.args.get("ship") or "").strip()
    if not imo:
        problems.append({"field": "ship", "message": "Name the ship: ship=<IMO number>."})
    try:
        filters = parse_filters(request.args)
    except BadFilters as exc:
        problems += [{"field": f, "message": m} for f, m in exc.problems]
    raw = (request.args.get("port_call") or "").strip()
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        problems.append({"field": "port_call", "message": "Port_call must be a whole number."})
    if problems:
        message = "; ".join(p["message"] for p in problems)
        return jsonify(error="bad_input", message=message, problems=problems), 400
    ship = fleet_ship(db.session, imo)
    if ship is None:
        return _not_found(f"No ship of the fleet has IMO number {imo}.")
    if raw:
        call = ship_call(db.session, current_user, ship, int(raw))
    else:
        call = next(iter(ship_calls(db.session, current_user, ship)), None)
    if call is None and (raw or can(current_user, "port_calls.facility_only")):
        return _not_found("No port call of this ship that you may read.")
    page = call_log(db.session, call, filters) if call else RowsPage([], 0, filters.page, 1)
    calls = {call.call_id: call} if call else {}
    return jsonify(
        ship={"imo": ship.imo, "name": ship.name},
        port_call=_call_json(call) if call else None,
        rows=[row_json(present_row(r, calls, current_user.role)) for r in page.rows],
        total=page.total,
        page=page.page,
        pages=page.pages,
    )


def _not_found(message: str):
    return jsonify(error="not_found", message=message), 404


def _call_json(call) -> dict:
    """Return the call as the ship's API does, from the record the ship sent."""
    return port_call_json(SimpleNamespace(**call_record(db.session, call)))
