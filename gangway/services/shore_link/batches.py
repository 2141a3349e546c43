"""A batch for the shore: the chain's entries after the acknowledged head, in order, each with
its row's content when the row still has that entry's digest, the ship's status, gzipped.

Protocol v1 (/api/v1/shore/batches). The content is the same dict whose digest the entry stores
(services/audit/content.py), over the entry's own field set, so the shore checks it with
gangway.domain.records.audit_chain.digest: nothing here computes a digest of its own.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.db.models import Ship
from gangway.services.audit.audit import ENTRY, FIELD_SET
from gangway.services.audit.content import content_digest, row_content
from gangway.services.shore_link.ship_status import ship_status, wire_time

PROTOCOL = 1
MAX_ENTRIES = 500
GZIP_LEVEL = 6  # level 9 saves ~2% more for twice the CPU (measured: README "Ship to shore")


@dataclass(frozen=True)
class Batch:
    """One POST's worth: the entries' range, the last entry's hash and the gzipped body."""

    first_seq: int
    last_seq: int
    last_hash: str
    count: int
    body: bytes  # gzip of the JSON document
    raw_size: int  # the JSON's size before gzip


def build_batch(
    session: Session, *, after: int, now: datetime, limit: int = MAX_ENTRIES
) -> Batch | None:
    """Return the batch of entries after seq `after` (None: nothing waits). Reads only."""
    conn = session.connection()
    rows = conn.execute(
        select(ENTRY).where(ENTRY.c.seq > after).order_by(ENTRY.c.seq).limit(limit)
    ).all()
    if not rows:
        return None
    top = conn.scalar(select(ENTRY.c.seq).order_by(ENTRY.c.seq.desc()).limit(1))
    status = ship_status(session, now, waiting=top - rows[-1].seq)
    document = {
        "protocol": PROTOCOL,
        "imo": ship_imo(session),
        "entries": wire_entries(conn, rows),
        "status": status,
    }
    raw = json.dumps(document, separators=(",", ":")).encode()
    body = gzip.compress(raw, GZIP_LEVEL, mtime=0)  # the same batch packs to the same bytes
    return Batch(rows[0].seq, rows[-1].seq, rows[-1].entry_hash, len(rows), body, len(raw))


def ship_imo(session: Session) -> str:
    """Return the ship's IMO number, the shore's name for it (empty when not set up)."""
    imo = session.scalar(select(Ship.imo_number).order_by(Ship.id).limit(1)) or ""
    return imo.upper().removeprefix("IMO").strip()  # "IMO 9074729" as some ships write it


def wire_entries(conn: Connection, rows) -> list[dict]:
    """Return the entries as the protocol sends them, with their rows' content where it holds."""
    sets = _field_sets(conn, {r.field_set_id for r in rows if r.field_set_id})
    contents = _contents(conn, rows)
    out = []
    for r in rows:
        fields = sets.get(r.field_set_id) if r.record_table else None
        content = None
        if fields is not None:
            row = contents.get((r.record_table, r.record_id))
            content = _matching(row, fields, r.digest)
        out.append(
            {
                "seq": r.seq,
                "kind": r.kind,
                "record_table": r.record_table,
                "record_id": r.record_id,
                "digest": r.digest,
                "payload": r.payload,
                "prev_hash": r.prev_hash,
                "entry_hash": r.entry_hash,
                "recorded_at": wire_time(r.recorded_at),
                "fields": list(fields) if fields is not None else None,
                "content": content,
            }
        )
    return out


def _matching(row: dict | None, fields: tuple[str, ...], expected: str) -> dict | None:
    """Return the row's content over `fields` if it still has the entry's digest, else None."""
    if row is None or any(f not in row for f in fields):
        return None  # removed since (a purge), or a column gone
    if content_digest(row, fields) != expected:
        return None  # changed since: a later entry carries the content it has now
    return {f: row[f] for f in fields}


def _field_sets(conn: Connection, ids: set[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    found = conn.execute(select(FIELD_SET.c.id, FIELD_SET.c.names).where(FIELD_SET.c.id.in_(ids)))
    return {r.id: tuple(r.names.split(",")) if r.names else () for r in found}


def _contents(conn: Connection, rows) -> dict[tuple[str, int], dict]:
    """Read the rows the entries name, one query per table."""
    wanted: dict[str, set[int]] = {}
    for r in rows:
        if r.record_table and r.record_id is not None:
            wanted.setdefault(r.record_table, set()).add(r.record_id)
    out = {}
    for name, ids in wanted.items():
        table = ENTRY.metadata.tables.get(name)
        if table is None:
            continue  # a table this version no longer has: its entries go without content
        for row in conn.execute(select(table).where(table.c.id.in_(sorted(ids)))):
            out[(name, row.id)] = row_content(table, row)
    return out
