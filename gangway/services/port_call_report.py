"""The end-of-port-call report: load the call's records as plain rows, summarise, hash, sign off.

Rows are read as column tuples (no ORM object per row), so a call with 100,000 movements loads in
one select per record type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import port_call_report as core
from ..domain.access_log import pfso_may_see
from ..models import (
    AccessPoint,
    Badge,
    Declaration,
    LevelChange,
    Movement,
    Person,
    PortCall,
    Refusal,
    RefusalFollowUp,
    ReportSignOff,
)
from .ship import current_ship


@dataclass(frozen=True)
class CallInfo:
    """The port call as the report's header shows it."""

    id: int
    ship_name: str
    imo_number: str | None
    port_name: str
    unlocode: str | None
    facility_name: str | None
    berth: str | None
    arrived_at: datetime
    departed_at: datetime | None
    pfso_name: str | None
    pfso_contact: str | None


@dataclass(frozen=True)
class Report:
    """Everything the three forms of the report (HTML, PDF, CSV zip) are drawn from."""

    call: CallInfo
    movements: list[core.MovementRow]
    refusals: list[core.RefusalRow]
    follow_ups: list[core.FollowUpRow]
    levels: list[core.LevelRow]
    declarations: list[core.DeclarationRow]
    summary: core.Summary
    per_hour: list[tuple[datetime, int, int]]
    on_board: list[tuple[datetime, int]]
    content_hash: str


def may_read(user, call: PortCall) -> bool:
    """Tell whether a user may read a call's report: SSO and master all, a PFSO their facility's."""
    if user.role in ("sso", "master"):
        return True
    return user.role == "pfso" and pfso_may_see(
        call.facility_name, call.unlocode, user.facility_name, user.facility_unlocode
    )


def build_report(session: Session, call_id: int) -> Report | None:
    """Load a port call's records and return its report (None if there is no such call)."""
    call = session.get(PortCall, call_id)
    if call is None:
        return None
    ship = current_ship(session)
    start, end = call.arrived_at, call.departed_at
    movements = _movements(session, call_id)
    refusals = [
        core.RefusalRow(*r)
        for r in session.execute(
            select(
                Refusal.id, Refusal.occurred_at, Refusal.reason_code, Refusal.reason_codes,
                Refusal.reason_message, Refusal.direction, Refusal.person_id, Refusal.purpose,
                Refusal.method,
            ).where(Refusal.port_call_id == call_id).order_by(Refusal.occurred_at, Refusal.id)
        )
    ]  # fmt: skip
    follow_ups = [
        core.FollowUpRow(*r)
        for r in session.execute(
            select(
                RefusalFollowUp.id, RefusalFollowUp.refusal_id, RefusalFollowUp.acknowledged_at,
                RefusalFollowUp.description, RefusalFollowUp.response,
                RefusalFollowUp.reported_to_cso_at, RefusalFollowUp.reported_to_pfso_at,
                RefusalFollowUp.reported_to_authorities_at,
            ).join(Refusal, Refusal.id == RefusalFollowUp.refusal_id)
            .where(Refusal.port_call_id == call_id).order_by(RefusalFollowUp.id)
        )
    ]  # fmt: skip
    levels = [
        core.LevelRow(*r)
        for r in session.execute(
            select(
                LevelChange.id, LevelChange.level, LevelChange.reason, LevelChange.ordered_by,
                LevelChange.notified_at, LevelChange.complied_at,
            ).where(LevelChange.port_call_id == call_id).order_by(LevelChange.notified_at)
        )
    ]  # fmt: skip
    declarations = [
        core.DeclarationRow(*r)
        for r in session.execute(
            select(
                Declaration.id, Declaration.level, Declaration.ship_party_name,
                Declaration.port_party_name, Declaration.reason, Declaration.valid_from,
                Declaration.valid_until, Declaration.signed_at,
            ).where(Declaration.port_call_id == call_id).order_by(Declaration.valid_from)
        )
    ]  # fmt: skip
    badges = session.execute(
        select(Badge.issued_at, Badge.revoked_at).where(
            or_(Badge.issued_at >= start, Badge.revoked_at >= start)
        )
    ).all()
    aboard_at_start = _aboard_at(session, start)
    summary = core.summarise(
        movements,
        refusals,
        aboard_at_start=aboard_at_start,
        visitors_aboard_at_departure=_aboard_at(session, end, core.VISITOR_KINDS),
        badges=badges,
        start=start,
        end=end,
    )
    info = CallInfo(
        call.id, ship.name if ship else "", ship.imo_number if ship else None, call.port_name,
        call.unlocode, call.facility_name, call.berth, start, end, call.pfso_name,
        call.pfso_contact,
    )  # fmt: skip
    return Report(
        info,
        movements,
        refusals,
        follow_ups,
        levels,
        declarations,
        summary,
        core.movements_per_hour(movements),
        core.on_board_series(movements, aboard_at_start, start),
        core.report_hash(movements, refusals, follow_ups, levels, declarations),
    )


def _movements(session: Session, call_id: int) -> list[core.MovementRow]:
    """Load the call's movements; persons and access points once each, not once per row."""
    in_call = select(Movement.person_id).where(Movement.port_call_id == call_id).distinct()
    people = {
        pid: (kind, f"{family.upper()}, {given}".rstrip(", "))
        for pid, kind, family, given in session.execute(
            select(Person.id, Person.kind, Person.family_name, Person.given_names).where(
                Person.id.in_(in_call)
            )
        )
    }
    points = dict(session.execute(select(AccessPoint.id, AccessPoint.name)).all())
    query = (
        select(
            Movement.id, Movement.occurred_at, Movement.direction, Movement.person_id,
            Movement.purpose, Movement.searched, Movement.escort_id, Movement.method,
            Movement.access_point_id,
        )
        .where(Movement.port_call_id == call_id)
        .order_by(Movement.occurred_at, Movement.id)
    )  # fmt: skip
    Row = core.MovementRow
    return [
        Row(i, at, d, people[p][0], p, pu, bool(s), e is not None, me, people[p][1], points[ap])
        for i, at, d, p, pu, s, e, me, ap in session.connection().execute(query)  # Core rows
    ]


def _aboard_at(session: Session, when: datetime | None, kinds=None) -> int:
    """Count persons whose last movement before `when` was a boarding (now, when None)."""
    if when is None:
        query = select(func.count(Person.id)).where(Person.aboard_movement_id.is_not(None))
        if kinds:
            query = query.where(Person.kind.in_(sorted(kinds)))
        return session.scalar(query) or 0
    latest = (
        select(func.max(Movement.id).label("id"))
        .where(Movement.occurred_at < when)
        .group_by(Movement.person_id)
        .subquery()
    )
    query = (
        select(func.count(Movement.id))
        .join(latest, latest.c.id == Movement.id)
        .where(Movement.direction == "board")
    )
    if kinds:
        query = query.join(Person, Person.id == Movement.person_id).where(
            Person.kind.in_(sorted(kinds))
        )
    return session.scalar(query) or 0


def signature_state(
    session: Session, call_id: int, *, report: Report | None = None
) -> tuple[ReportSignOff | None, str | None, bool]:
    """Return the latest sign-off, the records' hash now, and whether they changed since."""
    report = report or build_report(session, call_id)
    current = report.content_hash if report else None
    latest = session.scalars(
        select(ReportSignOff)
        .where(ReportSignOff.port_call_id == call_id)
        .order_by(ReportSignOff.signed_at.desc(), ReportSignOff.id.desc())
        .limit(1)
    ).first()
    return latest, current, bool(latest and latest.content_hash != current)


def sign_off(session: Session, call_id: int, *, user, now: datetime) -> ReportSignOff | None:
    """Record the SSO's sign-off of the report with the records' hash now (None: no such call).

    :raises PermissionError: the user is not the SSO (only the SSO signs the ship's records).
    """
    if user.role != "sso":
        raise PermissionError("Only the SSO signs off the port call report.")
    report = build_report(session, call_id)
    if report is None:
        return None
    record = ReportSignOff(
        port_call_id=call_id,
        signed_by_name=user.display_name,
        signed_by_id=user.id,
        signed_at=now,
        content_hash=report.content_hash,
    )
    session.add(record)
    session.commit()
    return record
