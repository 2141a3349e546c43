"""Load a port call's records for its report as plain rows: Core SELECTs of just the columns shown.

No ORM object per row: 100,000 movements are one SELECT, persons and access points are read
once each into dicts, and each row is built as a tuple. How the rows are read fast (times parsed
in C on SQLite, the driver's cursor, the collector paused) is in `bulk_reads`; the movements,
the large part, are read in movement_rows.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import (
    AccessPoint,
    Badge,
    Declaration,
    LevelChange,
    Movement,
    Person,
    Refusal,
    RefusalFollowUp,
    User,
)
from gangway.domain.reporting import port_call_report as core
from gangway.domain.scan.types import Direction
from gangway.services.audit.record_snapshots import recorded
from gangway.services.reports.movement_rows import (
    BATCH,
    RawMovements,
    movement_batches,
    movement_rows,
    raw_movements,
)
from gangway.services.scan.bulk_reads import (
    gc_paused,
    utc,
)

__all__ = [
    "BATCH",
    "RawMovements",
    "aboard_at",
    "badge_times",
    "declaration_rows",
    "follow_up_parties",
    "follow_up_rows",
    "gc_paused",
    "level_rows",
    "movement_batches",
    "movement_rows",
    "raw_movements",
    "refusal_parties",
    "refusal_rows",
]


def refusal_rows(session: Session, call_id: int) -> list[core.RefusalRow]:
    """Return the call's refusals in time order."""
    query = select(
        Refusal.id, utc(session, Refusal.occurred_at), Refusal.reason_code, Refusal.reason_codes,
        Refusal.reason_message, Refusal.direction, Refusal.person_id, Refusal.purpose,
        Refusal.method,
    ).where(Refusal.port_call_id == call_id).order_by(Refusal.occurred_at, Refusal.id)  # fmt: skip
    return [core.RefusalRow(*r) for r in session.execute(query)]


def follow_up_rows(session: Session, call_id: int) -> list[core.FollowUpRow]:
    """Return the SSO's follow-ups of the call's refusals."""
    query = (
        select(
            RefusalFollowUp.id, RefusalFollowUp.refusal_id, RefusalFollowUp.acknowledged_at,
            RefusalFollowUp.description, RefusalFollowUp.response,
            RefusalFollowUp.reported_to_cso_at, RefusalFollowUp.reported_to_pfso_at,
            RefusalFollowUp.reported_to_authorities_at,
        )
        .join(Refusal, Refusal.id == RefusalFollowUp.refusal_id)
        .where(Refusal.port_call_id == call_id)
        .order_by(RefusalFollowUp.id)
    )  # fmt: skip
    return [core.FollowUpRow(*r) for r in session.execute(query)]


def refusal_parties(session: Session, call_id: int) -> dict[int, core.RefusalParty]:
    """Return, by refusal id, the person refused (if identified) and the access point's name."""
    query = (
        select(
            Refusal.id, recorded(Refusal, Person, "family_name"),
            recorded(Refusal, Person, "given_names"), recorded(Refusal, Person, "kind"),
            recorded(Refusal, Person, "company"), AccessPoint.name,
        )
        .join(AccessPoint, AccessPoint.id == Refusal.access_point_id)
        .outerjoin(Person, Person.id == Refusal.person_id)
        .where(Refusal.port_call_id == call_id)
    )  # fmt: skip
    return {
        i: core.RefusalParty(i, _name(family, given), kind, company, point)
        for i, family, given, kind, company, point in session.execute(query)
    }


def follow_up_parties(session: Session, call_id: int) -> dict[int, core.FollowUpParty]:
    """Return, by follow-up id, who acknowledged the refusal and where it happened."""
    query = (
        select(
            RefusalFollowUp.id, User.display_name, RefusalFollowUp.location_in_port,
            RefusalFollowUp.location_on_vessel, RefusalFollowUp.authorities,
        )
        .join(Refusal, Refusal.id == RefusalFollowUp.refusal_id)
        .outerjoin(User, User.id == RefusalFollowUp.acknowledged_by_id)
        .where(Refusal.port_call_id == call_id)
    )  # fmt: skip
    return {row[0]: core.FollowUpParty(*row) for row in session.execute(query)}


def _name(family: str | None, given: str | None) -> str | None:
    """Return 'FAMILY, Given' as the movement rows have it (None: nobody identified)."""
    return f"{family.upper()}, {given or ''}".rstrip(", ") if family is not None else None


def level_rows(session: Session, call_id: int) -> list[core.LevelRow]:
    """Return the call's security level changes in order."""
    query = select(
        LevelChange.id, LevelChange.level, LevelChange.reason, LevelChange.ordered_by,
        LevelChange.notified_at, LevelChange.complied_at,
    ).where(LevelChange.port_call_id == call_id).order_by(LevelChange.notified_at)  # fmt: skip
    return [core.LevelRow(*r) for r in session.execute(query)]


def declaration_rows(session: Session, call_id: int) -> list[core.DeclarationRow]:
    """Return the call's Declarations of Security in order."""
    query = select(
        Declaration.id, Declaration.level, Declaration.ship_party_name,
        Declaration.port_party_name, Declaration.reason, Declaration.valid_from,
        Declaration.valid_until, Declaration.signed_at,
    ).where(Declaration.port_call_id == call_id).order_by(Declaration.valid_from)  # fmt: skip
    return [core.DeclarationRow(*r) for r in session.execute(query)]


def badge_times(session: Session, start: datetime) -> list[tuple[datetime, datetime | None]]:
    """Return (issued_at, revoked_at) of badges issued or revoked since `start`."""
    query = select(Badge.issued_at, Badge.revoked_at).where(
        or_(Badge.issued_at >= start, Badge.revoked_at >= start)
    )
    return [tuple(r) for r in session.execute(query)]


def aboard_at(session: Session, when: datetime | None, kinds=None) -> int:
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
        .where(Movement.direction == Direction.BOARD.value)
    )
    if kinds:
        query = query.join(Person, Person.id == Movement.person_id).where(
            Person.kind.in_(sorted(kinds))
        )
    return session.scalar(query) or 0
