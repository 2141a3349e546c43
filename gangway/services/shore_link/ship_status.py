"""The ship's status as the fleet page ashore shows it, sent with every batch (protocol v1)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import LevelChange, PortCall, Ship
from gangway.render.port_calls import port_call_json
from gangway.services.people.badge_overview import badge_overview
from gangway.services.scan.presence import count_on_board
from gangway.services.ship.refusals import unacknowledged_count
from gangway.services.ship.ship import current_port_call
from gangway.services.shore_link.fleet_watch import held_version

# What the fleet page ashore shows of the port call (the API's shape, without the PFSO's contact).
PORT_CALL_SENT = (
    "id", "port_name", "unlocode", "facility_name", "berth", "arrived_at", "departs_at", "timezone"
)  # fmt: skip


def ship_status(session: Session, now: datetime, *, waiting: int) -> dict:
    """Return level and since when, the port call, who is aboard, what waits for the SSO."""
    level = session.scalar(select(Ship.security_level).order_by(Ship.id).limit(1)) or 1
    since = session.scalar(
        select(LevelChange.recorded_at)
        .order_by(LevelChange.recorded_at.desc(), LevelChange.id.desc())
        .limit(1)
    )
    return {
        "security_level": level,
        "level_since": _time(since),
        "port_call": _port_call(current_port_call(session)),
        "on_board": count_on_board(session),
        "refusals_open": unacknowledged_count(session),
        "overstaying": len(badge_overview(session, now).overstaying),
        "records_waiting": waiting,
        "fleet_watch_version": held_version(session),  # the CSO sees which ships hold the list
    }


def _port_call(call: PortCall | None) -> dict | None:
    if call is None:
        return None
    shown = port_call_json(call, time=_time)
    return {key: shown[key] for key in PORT_CALL_SENT}


def wire_time(at: datetime) -> str:
    """Return an aware time as the protocol writes it: UTC, microseconds, "Z"."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _time(at: datetime | None) -> str | None:
    return wire_time(at) if at else None
