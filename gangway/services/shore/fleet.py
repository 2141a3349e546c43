"""The CSO's fleet view: every ship's last status, its chain ashore, and refused batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreQuarantine, ShoreShip
from gangway.domain.shore.batches import LABELS
from gangway.services.shore.ships import fleet

ALERTS_SHOWN = 50  # the newest refused batches on the fleet page; the rest stay in the database


@dataclass(frozen=True)
class Alert:
    """A refused batch, as the fleet page lists it."""

    received_at: datetime
    imo: str
    ship_name: str
    reason: str  # in plain words
    seq: int | None
    message: str


def fleet_status(session: Session) -> list[dict]:
    """Return one object per ship: status as last sent, chain held ashore, alerts waiting."""
    kept = dict(
        session.execute(
            select(ShoreQuarantine.ship_id, func.count()).group_by(ShoreQuarantine.ship_id)
        ).all()
    )
    return [_ship(ship, kept.get(ship.id, 0)) for ship in fleet(session)]


def fleet_alerts(session: Session, limit: int = ALERTS_SHOWN) -> list[Alert]:
    """Return the newest refused batches, newest first."""
    rows = session.execute(
        select(ShoreQuarantine, ShoreShip.imo, ShoreShip.name)
        .join(ShoreShip, ShoreShip.id == ShoreQuarantine.ship_id)
        .order_by(ShoreQuarantine.received_at.desc(), ShoreQuarantine.id.desc())
        .limit(limit)
    )
    return [
        Alert(q.received_at, imo, name, LABELS.get(q.reason, "Refused"), q.seq, q.message)
        for q, imo, name in rows
    ]


def _ship(ship: ShoreShip, alerts: int) -> dict:
    status = ship.status or {}
    return {
        "imo": ship.imo,
        "name": ship.name,
        "last_contact_at": ship.last_contact_at,
        "security_level": status.get("security_level"),
        "level_since": status.get("level_since"),
        "port_call": status.get("port_call"),
        "on_board": status.get("on_board") or {},
        "refusals_open": status.get("refusals_open"),
        "overstaying": status.get("overstaying"),
        "records": ship.head_seq,  # entries held ashore: #1 to the head, none missing
        "records_waiting": status.get("records_waiting"),
        "chain_head": {"seq": ship.head_seq, "entry_hash": ship.head_hash},
        "chain_status": ship.chain_status,
        "diverged_at": ship.diverged_at,
        "alerts": alerts,
    }
