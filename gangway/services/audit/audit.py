"""Append every record-keeping event to the audit chain, in the transaction that writes it.

A session hook notes each chained row (gangway.domain.records.chained_tables.CHAINED) added,
changed or deleted through the ORM and, just before the commit, appends one entry per row with
the digest of its final content: a record never exists without its entry, nor an entry without
its record.
Events that are not rows (a failed login, a purge) go through `append`. Appends are serialised
so that concurrent writers cannot fork the chain: on PostgreSQL by a transaction-level advisory
lock taken before the first chained write, on SQLite by the database's single write lock (held
from the transaction's first write; `append` takes it with a no-op update).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Table, bindparam, false, func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.db.listeners import listen_once
from gangway.db.models import AuditEntry, AuditFieldSet
from gangway.db.prepared import Prepared
from gangway.db.types import utcnow
from gangway.domain.records.audit_chain import canonical_json, digest, next_entry
from gangway.domain.records.chained_tables import CHAINED, change_kind
from gangway.services.audit.content import chained_fields, content_digest, row_content

ENTRY: Table = AuditEntry.__table__
FIELD_SET: Table = AuditFieldSet.__table__
_PENDING = "gangway_audit_pending"
_LOCKED = "gangway_audit_locked"
_LOCK_KEY = 0x67616E67  # PostgreSQL advisory lock id ("gang")


def append(session: Session, kind: str, data: dict) -> None:
    """Append an event that is not a row (a failed login, a purge) in the session's transaction."""
    conn = session.connection()
    lock_chain(conn)
    write(conn, [(kind, None, None, digest(data), canonical_json(data).decode())])


def lock_chain(conn: Connection) -> None:
    """Hold the chain until this transaction ends, so that concurrent appends queue up."""
    # SQLite: any write statement takes the single write lock, so the head cannot move.
    conn.execute(_ADVISORY if conn.dialect.name == "postgresql" else _NO_OP)


def write(conn: Connection, items: list[tuple]) -> None:
    """Append entries after the head; items are (kind, table, record id, digest, payload).

    Row entries point at their table's current column set, read with the head in one query.
    The caller holds the chain lock (or, on SQLite, has written in this transaction).
    """
    if not items:
        return
    tables = sorted({item[1] for item in items if item[1]}) or [None]
    seq, prev, first = _HEAD.first(conn, _set_params(tables[0]))
    head = (seq, prev) if seq is not None else None
    sets = {tables[0]: first, **{t: _SET.scalar(conn, _set_params(t)) for t in tables[1:]}}
    for table in (t for t in tables if t and sets[t] is None):  # a new table or a new column
        added = conn.execute(_NEW_SET, {"record_table": table, "names": _names(table)})
        sets[table] = added.inserted_primary_key[0]
    now, rows = utcnow(), []
    for kind, table, record_id, value, payload in items:
        e = next_entry(head, kind, table, record_id, value, now, payload)
        rows.append(vars(e) | {"field_set_id": sets.get(table)})  # Entry's fields are columns
        head = (e.seq, e.entry_hash)
    for row in rows:  # usually one: the prepared statement beats an executemany's set-up
        _INSERT.rows(conn, row)


def _names(table_name: str) -> str:
    return ",".join(chained_fields(table_name))


def _set_params(table_name: str | None) -> dict:
    return {"set_table": table_name or "", "set_names": _names(table_name) if table_name else ""}


# Compiled once and run on the driver's cursor: a scan runs these every time (gangway.db.prepared).
_SET_STMT = select(func.min(FIELD_SET.c.id)).where(
    FIELD_SET.c.record_table == bindparam("set_table"),
    FIELD_SET.c.names == bindparam("set_names"),
)
_SET = Prepared(_SET_STMT)
_TOP = select(func.max(ENTRY.c.seq)).scalar_subquery()
_HEAD = Prepared(
    select(
        _TOP,
        select(ENTRY.c.entry_hash).where(ENTRY.c.seq == _TOP).scalar_subquery(),
        _SET_STMT.scalar_subquery(),
    )
)
_NEW_SET = insert(FIELD_SET)
_INSERT = Prepared(insert(ENTRY), columns=[c.name for c in ENTRY.columns])
_ADVISORY = select(func.pg_advisory_xact_lock(_LOCK_KEY))
_NO_OP = update(ENTRY).where(false()).values(seq=ENTRY.c.seq)
_LATEST = (
    select(ENTRY.c.digest)
    .where(ENTRY.c.record_table == bindparam("t"), ENTRY.c.record_id == bindparam("i"))
    .order_by(ENTRY.c.seq.desc())
    .limit(1)
)


# --- the session hook -------------------------------------------------------------------------


@dataclass
class _Pending:
    obj: object
    created: bool
    changed: set[str] = field(default_factory=set)
    deleted: dict | None = None  # the content when it was deleted


def _chained(obj) -> str | None:
    name = getattr(getattr(obj, "__table__", None), "name", None)
    return name if name in CHAINED else None


_KEYS: dict = {}  # mapper -> attribute keys in column order


def _values(obj) -> list:
    """Return an ORM object's column values in the table's column order."""
    mapper = inspect(obj).mapper
    if mapper not in _KEYS:
        _KEYS[mapper] = [mapper.get_property_by_column(c).key for c in mapper.local_table.c]
    return [getattr(obj, key) for key in _KEYS[mapper]]


def register_listeners() -> None:
    """Chain every record a session writes and refuse in-place edits (create_app calls it)."""
    listen_once(Session, "before_flush", _lock_before_chained_writes)
    listen_once(Session, "after_flush", _note_chained_rows)
    listen_once(Session, "before_commit", _append_pending)
    listen_once(Session, "after_transaction_end", _forget_pending)


class AppendOnly(RuntimeError):
    """Raised when code edits or deletes a record in place instead of appending a correction."""


def _lock_before_chained_writes(session, flush_context, instances):
    """Refuse in-place edits of append-only records, then take the chain lock before writing
    chained rows (on PostgreSQL, taking it first avoids lock-order cycles)."""
    chained = [o for group in (session.dirty, session.deleted) for o in group if _chained(o)]
    fresh = session.info.get(_PENDING, {})  # rows added by this transaction may still change
    for obj in chained:
        name = _chained(obj)
        if not CHAINED[name].append_only or getattr(fresh.get(inspect(obj)), "created", False):
            continue
        if obj in session.deleted or _changed(obj, name):
            raise AppendOnly(
                f"{name} rows are never edited nor deleted (ISPS A/10.3): "
                "record a correction as a new row that refers to this one"
            )
    if chained or any(_chained(o) for o in session.new):
        _lock_once(session)


def _lock_once(session: Session) -> None:
    """PostgreSQL: take the advisory lock once per transaction, before the chained writes.
    SQLite needs nothing here: the flush's own writes hold the single write lock."""
    if _LOCKED in session.info:
        return
    if "gangway_dialect" not in session.info:
        session.info["gangway_dialect"] = session.get_bind().dialect.name
    if session.info["gangway_dialect"] == "postgresql":
        lock_chain(session.connection())
        session.info[_LOCKED] = True


def _changed(obj, name: str) -> set[str]:
    """Return the chained columns of a row that have unflushed (or just flushed) changes."""
    state, ignored = inspect(obj), CHAINED[name].ignored
    return {
        p.columns[0].name
        for p in state.mapper.column_attrs
        if p.columns[0].name not in ignored and state.attrs[p.key].history.has_changes()
    }


def _note_chained_rows(session, flush_context):
    """Remember which chained rows this transaction wrote; entries are written at commit."""
    pending = session.info.setdefault(_PENDING, {})
    for obj in sorted(filter(_chained, session.new), key=lambda o: (o.__table__.name, o.id)):
        pending.setdefault(inspect(obj), _Pending(obj, created=True))
    for obj in session.dirty:
        if (name := _chained(obj)) and (changed := _changed(obj, name)):
            pending.setdefault(inspect(obj), _Pending(obj, created=False)).changed |= changed
    for obj in session.deleted:
        if name := _chained(obj):
            state = inspect(obj)
            if pending.pop(state, _Pending(obj, created=False)).created:
                continue  # added and deleted in one transaction: it never existed for others
            values = [state.dict.get(c.key) for c in obj.__table__.columns]  # no reload
            content = row_content(obj.__table__, values)
            pending[state] = _Pending(obj, created=False, deleted=content)


def _append_pending(session):
    """Flush, then append one entry per chained row written, with its final content."""
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    _lock_once(session)
    conn, items, sets = session.connection(), [], {}
    for state, p in pending.items():
        name = p.obj.__table__.name
        if p.deleted is None and not state.persistent:
            continue  # rolled back with a savepoint
        fields = sets.setdefault(name, chained_fields(name))
        content = p.deleted or row_content(p.obj.__table__, _values(p.obj))
        value = content_digest(content, fields)
        if p.deleted is not None:
            kind = f"{name}.deleted"
        elif p.created:
            kind = CHAINED[name].created
        elif value == _latest_digest(conn, name, content["id"]):
            continue  # changed and changed back (or a savepoint undid it): nothing happened
        else:
            kind = change_kind(name, p.changed)
        items.append((kind, name, content["id"], value, None))
    write(conn, items)


def _forget_pending(session, transaction):
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_LOCKED, None)


def _latest_digest(conn: Connection, table_name: str, record_id: int) -> str | None:
    return conn.scalar(_LATEST, {"t": table_name, "i": record_id})
