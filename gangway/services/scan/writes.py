"""Write a scan's movement or refusal and its audit chain entry, without the ORM's unit of work.

A scan writes one row and one chain entry. Through the ORM that cost ~2.5 ms of CPU (flush
bookkeeping, the session hooks that find chained rows, reloading); here the row is inserted with
RETURNING, so the entry's digest is taken from exactly what the database stored, as
`gangway verify-log` will read it. Same transaction, same chain lock as every other record
(services/audit.py), so the chain cannot fork between a scan and, say, a level change.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from gangway.db.models import Movement, Person, Refusal
from gangway.db.prepared import Prepared
from gangway.domain.records.chained_tables import CHAINED
from gangway.services.audit import audit
from gangway.services.audit.content import chained_fields, content_digest, row_content
from gangway.services.audit.record_snapshots import ESCORT, NOBODY

MOVEMENT, REFUSAL = Movement.__table__, Refusal.__table__
# The record tables by name, as Written.table and the audit chain name them.
MOVEMENT_TABLE, REFUSAL_TABLE = MOVEMENT.name, REFUSAL.name
NO_ESCORT = dict.fromkeys(ESCORT)


class Written(NamedTuple):
    """The record as stored: its table, id and the values the answer shows."""

    table: str
    id: int
    purpose: str | None
    credential: str


def _inserts(table) -> Prepared:
    names = [c.name for c in table.columns if not c.primary_key]
    return Prepared(insert(table).returning(*table.columns), columns=names)


_INSERT = {MOVEMENT_TABLE: _inserts(MOVEMENT), REFUSAL_TABLE: _inserts(REFUSAL)}
_KEY_IN = {  # the other table's row holding an idempotency key
    MOVEMENT_TABLE: Prepared(select(REFUSAL.c.id).where(REFUSAL.c.client_key == bindparam("key"))),
    REFUSAL_TABLE: Prepared(select(MOVEMENT.c.id).where(MOVEMENT.c.client_key == bindparam("key"))),
}


class KeyTaken(Exception):
    """The idempotency key is already stored with the other kind of record."""


_PRESENCE = Prepared(
    update(Person.__table__)
    .where(Person.__table__.c.id == bindparam("person"))
    .values(aboard_movement_id=bindparam("movement"))
)


def write_record(conn: Connection, table: str, values: dict) -> Written:
    """Insert a movement or refusal and append its chain entry; the caller commits."""
    values = {**NOBODY, **NO_ESCORT, **values}  # a caller that names nobody records nobody
    if conn.dialect.name == "postgresql":  # before the first write, as the ORM's hook does
        audit.lock_chain(conn)
    stored = _INSERT[table].first(conn, values)
    # Each table's key is unique; across the two it is checked here, after this insert and under
    # the write lock (SQLite) or chain lock (PostgreSQL), so one of two racing resends sees the
    # other's record: a scan is never both a movement and a refusal.
    if values["client_key"] and _KEY_IN[table].first(conn, {"key": values["client_key"]}):
        raise KeyTaken(values["client_key"])
    content = row_content(_INSERT[table].stmt.table, stored)
    digest = content_digest(content, chained_fields(table))
    audit.write(conn, [(CHAINED[table].created, table, content["id"], digest, None)])
    return Written(table, content["id"], values["purpose"], values["credential"])


def move_presence(conn: Connection, person_id: int, movement_id: int | None) -> None:
    """Point the person's presence at their latest movement (None: ashore)."""
    _PRESENCE.rows(conn, {"person": person_id, "movement": movement_id})
