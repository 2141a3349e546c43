"""A port call's movements for its report, straight off the driver's cursor a batch at a time.

100,000 movements are one SELECT; persons and access points are read once each into dicts, and
each row is built as a tuple (how the rows are read fast is in services/scan/bulk_reads.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import AccessPoint, Movement, Person
from gangway.domain.reporting import port_call_report as core
from gangway.services.audit.record_snapshots import RecordedNames
from gangway.services.scan.bulk_reads import (
    aware_iso,
    aware_utc,
    driver_cursor,
    sqlite_iso,
    sqlite_utc,
)


@dataclass(frozen=True)
class RawMovements:
    """A call's movements straight off the driver's cursor, and the dicts to join them with.

    Batches are lists of plain tuples (id, occurred_at, direction, person_id, purpose, searched,
    escort_id, method, access_point_id, kind, family name, given names): no Row object or
    per-column processing, which halves the load of 100,000 rows. `occurred_at` is the driver's
    value: `utc` and `iso` convert it. Kind and names are the person's as the movement recorded
    them (`who` reads them); `people` holds the persons as they are now, for a movement without
    that copy (written beside the app: verify-log names it).
    """

    cursor: object
    people: dict[int, tuple[str, str]]  # person id -> (kind, "FAMILY, Given") now
    points: dict[int, str]  # access point id -> name
    utc: Callable[[object], datetime]
    iso: Callable[[object], str]  # the same text as utc(value).isoformat()
    names: RecordedNames = field(default_factory=RecordedNames)

    def who(self, person_id: int, kind, family, given) -> tuple[str, str]:
        """Return (kind, "FAMILY, Given") of a movement's person as it recorded them."""
        if family is None:
            return self.people[person_id]
        return kind, self.names[family, given]

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
            Movement.access_point_id, Movement.person_kind, Movement.person_family_name,
            Movement.person_given_names,
        )
        .where(Movement.port_call_id == call_id)
        .order_by(Movement.occurred_at, Movement.id)
    )  # fmt: skip
    cursor, sqlite = driver_cursor(session, query)
    if sqlite:
        return RawMovements(cursor, people, points, sqlite_utc, sqlite_iso)
    return RawMovements(cursor, people, points, aware_utc, aware_iso)


def movement_batches(session: Session, call_id: int) -> Iterator[list[core.MovementRow]]:
    """Yield the call's movements in time order as report rows, a batch at a time."""
    raw = raw_movements(session, call_id)
    who, points, utc = raw.who, raw.points, raw.utc
    new, Row = tuple.__new__, core.MovementRow  # tuple.__new__: half the cost of Row(...)
    for batch in raw.batches():
        yield [
            new(Row, (i, utc(at), d, kind, p, pu, bool(s), e is not None, me, name, points[ap]))
            for i, at, d, p, pu, s, e, me, ap, k, f, g in batch
            for kind, name in (who(p, k, f, g),)
        ]  # fmt: skip


def movement_rows(session: Session, call_id: int) -> list[core.MovementRow]:
    """Return the call's movements in time order."""
    return [row for batch in movement_batches(session, call_id) for row in batch]
