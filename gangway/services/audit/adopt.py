"""Adopt the records older than the chain: `gangway adopt-records` and `gangway init-db`.

A row is adopted only while its table is not covered by the chain yet (the chain is empty, or
a later version started to chain the table: CHAINED_LATER, marked by its migration); a row
slipped in beside the app once its table is covered stays a finding (`row_unchained`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import suppress

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.domain.records.audit_chain import canonical_json, digest
from gangway.domain.records.chained_tables import CHAINED, CHAINED_LATER
from gangway.services.audit.audit import ENTRY, lock_chain, write
from gangway.services.audit.content import chained_fields, content_digest, row_content

BATCH = 5000


def adopt_records(
    session: Session, *, only_if_chain_empty: bool = False, tables: Iterable[str] | None = None
) -> dict[str, int]:
    """Chain the rows older than the chain (records written before it covered their table);
    the caller commits.

    Each gets a "<table>.adopted" entry, and one "records.adopted" entry sums them up and names
    the tables it covers: the chain vouches for them from now on, not for their past. Only a
    table the chain does not cover yet is adopted (`adoptable_tables`): a row slipped in beside
    the app after its table was chained stays a finding for ever.
    :param tables: only these chained tables (those a new version started to chain).
    """
    conn = session.connection()
    lock_chain(conn)
    if only_if_chain_empty and conn.scalar(select(func.count()).select_from(ENTRY)):
        return {}
    open_tables = adoptable_tables(conn)
    chosen = [t for t in open_tables if tables is None or t in set(tables)]
    counts = {}
    for name in chosen:
        table, fields = ENTRY.metadata.tables[name], chained_fields(name)
        stmt = select(table).order_by(table.c.id).limit(BATCH)
        last, n = 0, 0
        while batch := conn.execute(stmt.where(table.c.id > last)).all():
            items = []
            for row in batch:
                content = row_content(table, row)
                value = content_digest(content, fields)
                items.append((f"{name}.adopted", name, row.id, value, None))
            write(conn, items)
            last, n = batch[-1].id, n + len(batch)
        if n:
            counts[name] = n
    if counts or (chosen and tables is not None):  # an upgrade covers its tables even if empty
        data = {"tables": counts, "covered": chosen}
        write(conn, [("records.adopted", None, None, digest(data), _text(data))])
    return counts


def adoptable_tables(conn: Connection) -> list[str]:
    """Return the chained tables whose rows may be adopted: all of them while the chain is
    empty (a database older than the chain); else only a table that a later version started to
    chain (CHAINED_LATER, marked by its migration) and that the chain does not cover yet: no
    entry of its rows, and no earlier adoption that covered it."""
    if conn.scalar(select(ENTRY.c.seq).limit(1)) is None:
        return list(CHAINED)
    covered = set()
    adopted = select(ENTRY.c.payload).where(ENTRY.c.kind == "records.adopted")
    for payload in conn.scalars(adopted):
        with suppress(ValueError, TypeError, AttributeError):
            data = json.loads(payload or "{}")
            covered |= set(data.get("covered", ())) | set(data.get("tables", {}))
    out = []
    for name in (t for t in CHAINED if t in CHAINED_LATER and t not in covered):
        has_entry = select(ENTRY.c.seq).where(ENTRY.c.record_table == name).limit(1)
        if conn.scalar(has_entry) is None:
            out.append(name)
    return out


def _text(data) -> str:
    return canonical_json(data).decode()
