"""Voyages: the ship at sea between two port calls. A record made while no call is open is
filed under the voyage then (ISPS A/10.1: records of security activities), never nowhere.

A voyage starts when a port call is closed and ends when the next one is opened
(services/port_calls.py); before the ship's first call, the first record at sea starts one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import AccessPoint, Movement, Person, PortCall, Refusal, Voyage
from gangway.db.prepared import Prepared
from gangway.domain.scan.reasons import label
from gangway.services.scan.rows import connection

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


@dataclass(frozen=True)
class VoyageOverview:
    """The voyages shown, the records filed under each, and the port calls they join."""

    voyages: list[Voyage]
    counts: dict[int, tuple[int, int]]
    calls: dict[int, PortCall]


def voyages_overview(session: Session, limit: int = 50) -> VoyageOverview:
    """Return the latest voyages with their record counts and port calls."""
    voyages = list_voyages(session, limit)
    ids = [v.id for v in voyages]
    return VoyageOverview(voyages, voyage_counts(session, ids), voyage_calls(session, voyages))


def voyage_calls(session: Session, voyages: list[Voyage]) -> dict[int, PortCall]:
    """Return the port calls these voyages join, by id."""
    ids = {i for v in voyages for i in (v.from_port_call_id, v.to_port_call_id) if i}
    found = session.scalars(select(PortCall).where(PortCall.id.in_(ids))) if ids else []
    return {call.id: call for call in found}


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


@dataclass(frozen=True, slots=True)
class VoyageRecord:
    """One record made at sea, as the voyage's log shows it."""

    record_id: str
    occurred_at: datetime
    outcome: str
    direction: str
    name: str
    kind: str | None
    access_point: str
    reason: str | None


def voyage_log(session: Session, voyage_id: int, limit: int = 2000) -> list[VoyageRecord]:
    """Return the movements and refusals filed under a voyage, in time order (allowed first)."""
    moves = session.execute(
        select(Movement, Person, AccessPoint)
        .join(Person, Movement.person_id == Person.id)
        .join(AccessPoint, Movement.access_point_id == AccessPoint.id)
        .where(Movement.voyage_id == voyage_id)
        .order_by(Movement.occurred_at, Movement.id)
        .limit(limit)
    )
    refused = session.execute(
        select(Refusal, Person, AccessPoint)
        .outerjoin(Person, Refusal.person_id == Person.id)
        .join(AccessPoint, Refusal.access_point_id == AccessPoint.id)
        .where(Refusal.voyage_id == voyage_id)
        .order_by(Refusal.occurred_at, Refusal.id)
        .limit(limit)
    )
    rows = [
        VoyageRecord(
            f"m-{m.id}",
            m.occurred_at,
            "allowed",
            m.direction,
            m.recorded_name,  # the person as the record stored them (a rename leaves it)
            m.person_kind or p.kind,
            a.name,
            ", ".join(label(c) for c in m.flags.split(",") if c) or None,
        )
        for m, p, a in moves
    ] + [
        VoyageRecord(
            f"r-{r.id}",
            r.occurred_at,
            "refused",
            r.direction,
            r.recorded_name or "Unknown",
            r.person_kind or (p.kind if p else None),
            a.name,
            r.reason_message,
        )
        for r, p, a in refused
    ]
    return sorted(rows, key=lambda r: (r.occurred_at, r.outcome, int(r.record_id[2:])))[:limit]
