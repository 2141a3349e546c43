"""Check every person's presence against the chained movements (verify-log's last step).

Presence (`person.aboard_movement_id`) is not in the person's digest: scans move it outside
the ORM. It is a function of the movements instead (gangway.domain.scan.presence_log), so an edit
beside the app shows as a pointer that the movements do not give.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import String, and_, bindparam, or_, select, type_coerce
from sqlalchemy.engine import Connection

from gangway.db.models import Movement, Person
from gangway.db.prepared import Prepared
from gangway.domain.records.audit_records import RowFinding
from gangway.domain.scan.presence_log import Presence, describe, replay

BATCH = 5000
M, P = Movement.__table__.c, Person.__table__.c


def presence_findings(conn: Connection) -> Iterator[RowFinding]:
    """Yield a finding for each person whose presence differs from their movements."""
    replayed = _replayed(conn)
    pending = next(replayed, None)
    for person_id, pointer in _pointers(conn):
        while pending is not None and pending[0] < person_id:
            pending = next(replayed, None)
        expected = pending[1] if pending is not None and pending[0] == person_id else None
        if pointer != expected:  # a scan may have landed between the two reads: look again
            again = dict(_replayed(conn, person_id))
            pointer = conn.scalar(select(P.aboard_movement_id).where(P.id == person_id))
            if pointer != again.get(person_id):
                yield mismatch(person_id, pointer, again.get(person_id))


_ONE = Prepared(
    select(P.aboard_movement_id, M.id, M.direction, M.occurred_at, M.received_at)
    .select_from(Person.__table__)
    .outerjoin(Movement.__table__, and_(M.person_id == P.id, M.id >= bindparam("from_id")))
    .where(P.id == bindparam("person"))
    .order_by(M.id)
)


def presence_rows(conn: Connection, person_id: int, from_id: int = 0) -> tuple[int | None, list]:
    """Return a person's presence pointer and their movements from `from_id` on, in id order
    (id, direction, occurred_at, received_at), read in one statement (one snapshot)."""
    rows = _ONE.rows(conn, {"person": person_id, "from_id": from_id})
    pointer = rows[0][0] if rows else None
    return pointer, [r[1:] for r in rows if r[1] is not None]


def mismatch(person_id: int, pointer: int | None, expected: int | None) -> RowFinding:
    """Return the finding for a presence pointer the movements do not give."""
    return RowFinding(
        "presence_altered",
        f"person {person_id} aboard_movement_id shows them {describe(pointer)}, but the "
        f"chained movements put them {describe(expected)}",
        "person",
        person_id,
    )


def _pointers(conn: Connection) -> Iterator[tuple[int, int | None]]:
    last = 0
    while True:
        stmt = select(P.id, P.aboard_movement_id).where(P.id > last).order_by(P.id).limit(BATCH)
        batch = conn.execute(stmt).all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1].id


def _replayed(conn: Connection, person_id: int | None = None) -> Iterator[tuple[int, int | None]]:
    """Yield (person id, movement they are aboard by) for each person with movements (or for
    one person)."""
    # Times as stored (no conversion): SQLite holds anything, and a value that is no time must
    # not stop the check; within one database they compare alike.
    raw = [type_coerce(c, String).label(c.name) for c in (M.occurred_at, M.received_at)]
    cols = (M.person_id, M.id, M.direction, *raw)
    stmt = select(*cols).order_by(M.person_id, M.id).limit(BATCH)
    if person_id is not None:
        stmt = stmt.where(M.person_id == person_id)
    last, current, presence = None, None, Presence()
    while True:
        page = stmt
        if last is not None:
            after = or_(M.person_id > last[0], and_(M.person_id == last[0], M.id > last[1]))
            page = stmt.where(after)
        batch = conn.execute(page).all()
        for r in batch:
            if r.person_id != current:
                if current is not None:
                    yield current, presence.aboard
                current, presence = r.person_id, Presence()
            presence = replay(presence, r.id, r.direction, r.occurred_at, r.received_at)
        if len(batch) < BATCH:
            break
        last = (batch[-1].person_id, batch[-1].id)
    if current is not None:
        yield current, presence.aboard
