"""The CSO's fleet page (shore server only): every ship in one table, and refused batches."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint

from gangway.extensions import db
from gangway.services.shore.fleet import fleet_alerts, fleet_status
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.presenters import utc_and_local
from gangway.web.roles import permission_required

bp = Blueprint("fleet", __name__, url_prefix="/fleet")


@bp.get("/")
@permission_required("fleet.read")
def index():
    """Show the fleet; the table refreshes itself (htmx) with the latest contacts."""
    ships = [shown(ship) for ship in fleet_status(db.session)]
    alerts = fleet_alerts(db.session)
    return render_page_or_fragment(
        "fleet/index.html", "fleet/_status.html", ships=ships, alerts=alerts, when=utc_and_local
    )


def shown(ship: dict) -> dict:
    """Return a ship's row in words: times in UTC and port time, counts by kind."""
    call = ship["port_call"] or {}
    zone = call.get("timezone") if isinstance(call.get("timezone"), str) else None
    since = _time(ship["level_since"])
    on_board = ship["on_board"]
    return ship | {
        "level": f"Level {ship['security_level']}" if ship["security_level"] else "Not sent yet",
        "level_since": utc_and_local(since, zone) if since else None,
        "port": _port(call),
        "arrived": utc_and_local(at, zone) if (at := _time(call.get("arrived_at"))) else None,
        "aboard_total": sum(on_board.values()),
        "aboard_kinds": ", ".join(f"{n} {kind}" for kind, n in sorted(on_board.items()) if n),
        "contact": utc_and_local(ship["last_contact_at"], zone)
        if ship["last_contact_at"]
        else "Never",
    }


def _port(call: dict) -> str:
    if not call:
        return "At sea"
    where = str(call.get("port_name") or "In port")
    if call.get("unlocode"):
        where += f" ({call['unlocode']})"
    if call.get("facility_name"):
        where += f", {call['facility_name']}"
    return where


def _time(text) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
