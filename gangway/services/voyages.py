"""Voyages: the ship at sea between two port calls. A record made while no call is open is
filed under the voyage then (ISPS A/10.1: records of security activities), never nowhere.

A voyage starts when a port call is closed and ends when the next one is opened
(services/port_calls.py); before the ship's first call, the first record at sea starts one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from ..models import Movement, PortCall, Refusal, Voyage
from ..prepared import Prepared
from .scan_rows import connection

V = Voyage.__table__.c
_AT = Prepared(
    select(V.id)
    .where(V.started_at <= bindparam("at"), or_(V.ended_at.is_(None), V.ended_at > bindparam("at")))
    .order_by(V.started_at.desc(), V.id.desc())
    .limit(1)
)
_OPEN = Prepared(select(V.id).where(V.ended_at.is_(None)).order_by(V.id.desc()).limit(1))


def voyage_id_at(session: Session, at: datetime) -> int | None:
    """Return the voyage whose stretch [started_at, ended_at) holds `at`, if any."""
    return _AT.scalar(connection(session), {"at": at})


def voyage_for_record(session: Session, at: datetime) -> int:
    """Return the voyage a record made at `at` without a port call is filed under.

    The voyage holding that time; else the one at sea now (a check older than it, sent late);
    else a new one, started then and committed on its own: the ship has never been in port.
    """
    found = voyage_id_at(session, at) or _OPEN.scalar(connection(session))
    if found is not None:
        return found
    voyage = Voyage(started_at=at)
    session.add(voyage)
    session.commit()
    return voyage.id


def start_voyage(session: Session, call: PortCall) -> Voyage:
    """Start the voyage that follows a port call just closed; the caller commits."""
    voyage = Voyage(started_at=call.departed_at, from_port_call_id=call.id)
    session.add(voyage)
    return voyage


def end_voyage(session: Session, call: PortCall) -> Voyage | None:
    """End the voyage at sea when a port call is opened (at its arrival); the caller commits."""
    voyage = session.scalars(
        select(Voyage).where(Voyage.ended_at.is_(None)).order_by(Voyage.id.desc()).limit(1)
    ).first()
    if voyage is not None:
        voyage.ended_at = max(call.arrived_at, voyage.started_at)
        voyage.to_port_call_id = call.id
    return voyage


def list_voyages(session: Session, limit: int = 50) -> list[Voyage]:
    """Return the latest voyages, newest first."""
    stmt = select(Voyage).order_by(Voyage.started_at.desc(), Voyage.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def voyage_counts(session: Session, voyage_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return voyage id -> (movements, refusals) filed under it."""
    counts = {v: [0, 0] for v in voyage_ids}
    for n, model in enumerate((Movement, Refusal)):
        stmt = (
            select(model.voyage_id, func.count())
            .where(model.voyage_id.in_(voyage_ids))
            .group_by(model.voyage_id)
        )
        for voyage_id, number in session.execute(stmt):
            counts[voyage_id][n] = number
    return {v: (c[0], c[1]) for v, c in counts.items()}
