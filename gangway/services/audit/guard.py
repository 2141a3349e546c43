"""Refuse to decide a scan on state that does not match the audit chain.

Before a scan is decided, the ship row (level and plan's measures) must match the digest of
its latest chain entry, and the scanned person's presence must be what their chained movements
give (gangway.domain.scan.presence_log). Both are read in one statement each; the ship's digest is
remembered per (row, entry digest), and a person's replayed movements per person, so that a
normal scan only reads what changed since (~tens of microseconds; bench/scan_guard_bench.py).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gangway.db.models import Ship
from gangway.db.prepared import Prepared
from gangway.domain.records.audit_chain import digest
from gangway.domain.scan.presence_log import Presence, describe, replay
from gangway.domain.scan.reasons import label
from gangway.services.audit import audit
from gangway.services.audit.audit import ENTRY, FIELD_SET
from gangway.services.audit.content import row_content
from gangway.services.audit.presence import presence_rows

log = logging.getLogger(__name__)

CODE = "records_mismatch"
SHIP = Ship.__table__
_OF_SHIP = ENTRY.alias("of_ship")
_LATEST_SEQ = (
    select(func.max(_OF_SHIP.c.seq))
    .where(_OF_SHIP.c.record_table == SHIP.name, _OF_SHIP.c.record_id == SHIP.c.id)
    .correlate(SHIP)
    .scalar_subquery()
)
_SHIP = Prepared(
    select(*SHIP.columns, ENTRY.c.digest, FIELD_SET.c.names)
    .select_from(SHIP)
    .outerjoin(ENTRY, ENTRY.c.seq == _LATEST_SEQ)
    .outerjoin(FIELD_SET, FIELD_SET.c.id == ENTRY.c.field_set_id)
    .order_by(SHIP.c.id)
    .limit(1)
)
# (ship row values, entry digest, covered columns) whose digests were compared and matched
_VERIFIED: set[tuple] = set()
_PRESENCE: dict[tuple, tuple[Presence, datetime]] = {}  # (db, person) -> replayed, last time
_CACHE_LIMIT = 20_000


class RecordsMismatch(Exception):
    """The state a scan would be decided on differs from the audit chain: no verdict."""

    code = CODE

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what  # for the log and the SSO's alert, not for the watch's screen
        self.message = label(CODE)


def check_decision_state(conn: Connection, person_ids) -> None:
    """Check the ship row and each person's presence against the chain.

    :raises RecordsMismatch: something differs (the caller decides nothing).
    """
    _check_ship(conn)
    for person_id in person_ids:
        if person_id is not None:
            _check_presence(conn, person_id)


def _check_ship(conn: Connection) -> None:
    row = _SHIP.first(conn)
    if row is None:
        return  # no ship yet: the default policy (level 1) applies
    n = len(SHIP.columns)
    key = tuple(row[:n]), row[n], row[n + 1]
    if key in _VERIFIED:
        return
    values, entry_digest, names = key
    if entry_digest is None:
        raise RecordsMismatch(f"ship {values[0]} has no chain entry")
    if not _matches(row_content(SHIP, values), names, entry_digest):
        raise RecordsMismatch(f"ship {values[0]} differs from its latest chain entry")
    if len(_VERIFIED) > _CACHE_LIMIT:
        _VERIFIED.clear()
    _VERIFIED.add(key)


def _matches(content: dict, names: str | None, entry_digest: str) -> bool:
    """Tell whether a row's content has the digest of an entry over its covered columns."""
    fields = (names or "").split(",")
    if any(f not in content for f in fields):
        return False
    return digest({f: content[f] for f in fields}) == entry_digest


def _check_presence(conn: Connection, person_id: int) -> None:
    key = (str(conn.engine.url), person_id)
    found = _replayed(conn, person_id, _PRESENCE.get(key))
    if found is None or found[0] != found[1].aboard:  # read it all once more, from the start
        found = _replayed(conn, person_id, None)
    pointer, presence, last_at = found
    if pointer != presence.aboard:
        _PRESENCE.pop(key, None)
        raise RecordsMismatch(
            f"person {person_id} is shown {describe(pointer)}; their chained movements put "
            f"them {describe(presence.aboard)}"
        )
    if len(_PRESENCE) > _CACHE_LIMIT:
        _PRESENCE.clear()
    if presence.last_id:
        _PRESENCE[key] = (presence, last_at)


def _replayed(conn: Connection, person_id: int, cached):
    """Return (pointer, presence, last movement's time) after the person's movements since the
    remembered ones; None when the last remembered movement is not there as it was."""
    since, since_at = cached or (Presence(), None)
    try:
        pointer, movements = presence_rows(conn, person_id, since.last_id)
    except (ValueError, TypeError):  # a stored time that is no time (SQLite holds anything)
        raise RecordsMismatch(f"person {person_id}'s movements cannot be read") from None
    if cached is not None:
        if not movements or movements[0][0] != since.last_id or movements[0][2] != since_at:
            return None
        movements = movements[1:]
    presence, last_at = since, since_at
    for movement in movements:
        presence, last_at = replay(presence, *movement), movement[2]
    return pointer, presence, last_at


MISMATCH_KIND = "records.mismatch"


def record_mismatch(session: Session, exc: RecordsMismatch, *, by: str) -> None:
    """Chain a scan that was not decided (what differed, who scanned) in its own transaction,
    so that the SSO's page shows it; a failure here must not hide the watch's message."""
    session.rollback()
    try:
        audit.append(session, MISMATCH_KIND, {"what": exc.what, "by": by})
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.exception("Could not chain the records mismatch: %s", exc.what)


def row_matches_chain(conn: Connection, table_name: str, record_id: int) -> bool:
    """Tell whether a chained row is as its latest chain entry says (not for the scan path)."""
    table = ENTRY.metadata.tables[table_name]
    row = conn.execute(select(table).where(table.c.id == record_id)).first()
    latest = conn.execute(
        select(ENTRY.c.digest, FIELD_SET.c.names)
        .outerjoin(FIELD_SET, FIELD_SET.c.id == ENTRY.c.field_set_id)
        .where(ENTRY.c.record_table == table_name, ENTRY.c.record_id == record_id)
        .order_by(ENTRY.c.seq.desc())
        .limit(1)
    ).first()
    if row is None or latest is None:
        return False
    return _matches(row_content(table, row), latest.names, latest.digest)
