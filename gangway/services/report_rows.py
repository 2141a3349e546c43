"""Load a port call's records for its report as plain rows: Core SELECTs of just the columns shown.

No ORM object per row: 100,000 movements are one SELECT, persons and access points are read
once each into dicts, and each row is built as a tuple. On SQLite the times are read as their
stored text and parsed in C (the generic DateTime + UTC re-attach path costs more than the
SELECT itself).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from ..domain import port_call_report as core
from ..models import (
    AccessPoint,
    Badge,
    Declaration,
    LevelChange,
    Movement,
    Person,
    Refusal,
    RefusalFollowUp,
)


class _SQLiteUTC(String):
    """A UTCDateTime column as SQLite stores it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), parsed in C."""

    cache_ok = True

    def result_processor(self, dialect, coltype):
        return _sqlite_utc


_fromisoformat = datetime.fromisoformat


def _sqlite_utc(value: str | None) -> datetime | None:
    if type(value) is str:  # noqa: E721 - the common case, checked first for speed
        return _fromisoformat(value + "+00:00")
    return None if value is None else value.replace(tzinfo=UTC)  # detect_types: naive UTC


def _sqlite_iso(value: str) -> str:
    """'2026-05-01 08:00:00.000000' -> '2026-05-01T08:00:00+00:00', as isoformat() writes it."""
    if type(value) is not str:  # noqa: E721 - detect_types gave a naive UTC datetime
        return _sqlite_utc(value).isoformat()
    clock = value[11:19] if value.endswith(".000000") else value[11:]
    return f"{value[:10]}T{clock}+00:00"


def _aware_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _aware_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while 100,000s of row tuples are built.

    Every tuple allocated counts towards a collection, and the older generations' collections
    walk all the rows built so far: ~30% of the load. The rows hold no cycles. The pause is
    process-wide but brief, and the state before it is restored (nested or concurrent pauses
    leave that to whichever began with the collector on).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def utc(session: Session, column):
    """Return `column` for a SELECT whose values arrive as aware UTC datetimes, fast on SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(column, _SQLiteUTC()).label(column.key)
    return column


@dataclass(frozen=True)
class RawMovements:
    """A call's movements straight off the driver's cursor, and the dicts to join them with.

    Batches are lists of plain tuples (id, occurred_at, direction, person_id, purpose, searched,
    escort_id, method, access_point_id): no Row object or per-column processing, which halves
    the load of 100,000 rows. `occurred_at` is the driver's value: `utc` and `iso` convert it.
    """

    cursor: object
    people: dict[int, tuple[str, str]]  # person id -> (kind, "FAMILY, Given")
    points: dict[int, str]  # access point id -> name
    utc: Callable[[object], datetime]
    iso: Callable[[object], str]  # the same text as utc(value).isoformat()

    def batches(self) -> Iterator[list[tuple]]:
        """Yield the rows in time order, BATCH at a time; the cursor is closed at the end."""
        try:
            while batch := self.cursor.fetchmany(BATCH):
                yield batch
        finally:
            self.cursor.close()


BATCH = 5000


def raw_movements(session: Session, call_id: int) -> RawMovements:
    """Run the SELECT of a call's movements (in time order) and load its persons and points."""
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
    cursor, sqlite = _driver_cursor(session, query)
    if sqlite:
        return RawMovements(cursor, people, points, _sqlite_utc, _sqlite_iso)
    return RawMovements(cursor, people, points, _aware_utc, _aware_iso)


def movement_batches(session: Session, call_id: int) -> Iterator[list[core.MovementRow]]:
    """Yield the call's movements in time order as report rows, a batch at a time."""
    raw = raw_movements(session, call_id)
    people, points, utc = raw.people, raw.points, raw.utc
    new, Row = tuple.__new__, core.MovementRow  # tuple.__new__: half the cost of Row(...)
    for batch in raw.batches():
        yield [
            new(Row, (i, utc(at), d, people[p][0], p, pu, bool(s), e is not None, me,
                      people[p][1], points[ap]))
            for i, at, d, p, pu, s, e, me, ap in batch
        ]  # fmt: skip


def movement_rows(session: Session, call_id: int) -> list[core.MovementRow]:
    """Return the call's movements in time order."""
    return [row for batch in movement_batches(session, call_id) for row in batch]


def _driver_cursor(session: Session, query) -> tuple[object, bool]:
    """Run a Core SELECT (integer binds only) on the DBAPI cursor; also tell if it is SQLite."""
    session.flush()  # as the ORM's autoflush would before a query
    conn = session.connection()
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.cursor()
    cursor.execute(str(compiled), params)
    return cursor, conn.dialect.name == "sqlite"


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
        .where(Movement.direction == "board")
    )
    if kinds:
        query = query.join(Person, Person.id == Movement.person_id).where(
            Person.kind.in_(sorted(kinds))
        )
    return session.scalar(query) or 0
