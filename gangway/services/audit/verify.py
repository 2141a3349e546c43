"""Verify the audit chain and every chained record against it (adoption: services/audit_adopt).

`gangway verify-log` runs `verify_log`; the purge calls `removal_summary` before it deletes.
Everything is read in keyset batches, so memory stays flat however long the chain is.
"""

from __future__ import annotations

import json
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.domain.records.audit_anchor import anchor_holds
from gangway.domain.records.audit_chain import (
    PURGE_KIND,
    Entry,
    Finding,
    id_ranges,
    removed_digest,
    verify_chain,
)
from gangway.domain.records.audit_records import Purges, RowEntry, check_rows
from gangway.domain.records.chained_tables import CHAINED
from gangway.services.audit.adopt import adopt_records  # noqa: F401 (its home before audit_adopt)
from gangway.services.audit.audit import ENTRY, FIELD_SET
from gangway.services.audit.content import row_content
from gangway.services.audit.document_photo_check import document_photo_findings
from gangway.services.audit.presence import presence_findings
from gangway.services.shore_link.head_check import shore_head_findings

BATCH = 5000
KEEP = 1000  # findings kept to print; the counts cover every one


@dataclass
class Report:
    """What verify-log found: chain length and head, rows checked, findings by code."""

    entries: int = 0
    head: tuple[int, str] | None = None
    records: int = 0
    findings: list[Finding] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.counts

    def add(self, finding: Finding) -> None:
        self.counts[finding.code] += 1
        if len(self.findings) < KEEP:
            self.findings.append(finding)


def verify_log(session: Session, *, anchors: dict[int, str] | None = None) -> Report:
    """Check the chain, then every chained table's rows against their latest entries.

    :param anchors: seq -> entry hash noted earlier (e.g. printed in a report): must still hold.
    """
    conn, report, purges = session.connection(), Report(), Purges()
    for finding in verify_chain(_chain(conn, report, purges)):
        report.add(finding)
    for seq, expected in sorted((anchors or {}).items()):
        found = conn.scalar(select(ENTRY.c.entry_hash).where(ENTRY.c.seq == seq))
        if not anchor_holds(expected, found):
            what = "is gone" if found is None else "has another hash now"
            report.add(Finding("anchor_mismatch", f"anchored entry #{seq} {what}"))
    for finding in shore_head_findings(conn):  # the copy ashore anchors the chain too
        report.add(finding)
    sets, suspects = _field_sets(conn), []
    for name in CHAINED:
        rows = _rows(conn, name, report=report)
        for finding in check_rows(name, _entries(conn, name, sets), rows, purges):
            if len(suspects) < KEEP:
                suspects.append(finding)
            else:
                report.add(finding)
    for finding in purges.findings():
        report.add(finding)
    # Rows and entries are read in separate batches: a scan committed in between could look
    # like a problem, so each suspect row is read once more before it is reported.
    for finding in _recheck(conn, suspects, sets, purges):
        report.add(finding)
    for finding in presence_findings(conn):  # not in a digest: recomputed from the movements
        report.add(finding)
    for finding in document_photo_findings(conn):  # each image against its chained SHA-256
        report.add(finding)
    return report


def removal_summary(session: Session, ids: dict) -> tuple[Finding | None, dict]:
    """Check the rows a purge is about to remove and summarise them for its chain entry.

    :param ids: table name -> a SELECT of the record ids to remove.
    :returns: the first row that no longer matches the chain (or None), and per table with
        rows {count, ids (runs), sha256 over "id:entry digest" lines}.
    """
    conn, removed = session.connection(), {}
    sets = _field_sets(conn)
    for name, selected in ids.items():
        entries = list(_entries(conn, name, sets, ids=selected))
        rows = _rows(conn, name, ids=selected)
        problem = next(check_rows(name, entries, rows, Purges()), None)
        if problem:
            return problem, {}
        lines = [(record_id, history[-1].digest) for record_id, history in entries]
        if lines:
            runs = id_ranges(record_id for record_id, _ in lines)
            removed[name] = {"count": len(lines), "ids": runs, "sha256": removed_digest(lines)}
    return None, removed


def _chain(conn: Connection, report: Report, purges: Purges):
    """Yield every entry in seq order, noting the purges and the head on the way."""
    last = 0
    while True:
        stmt = select(ENTRY).where(ENTRY.c.seq > last).order_by(ENTRY.c.seq).limit(BATCH)
        batch = conn.execute(stmt).all()
        for r in batch:
            e = Entry(
                r.seq, r.kind, r.record_table, r.record_id, r.digest, r.recorded_at,
                r.prev_hash, r.entry_hash, r.payload,
            )  # fmt: skip
            if e.kind == PURGE_KIND and e.payload:
                # An altered payload may not parse: verify_chain names the entry anyway.
                with suppress(ValueError, KeyError, TypeError, AttributeError):
                    purges.add(e.seq, json.loads(e.payload))
            report.entries, report.head = report.entries + 1, (e.seq, e.entry_hash)
            yield e
        if len(batch) < BATCH:
            return
        last = batch[-1].seq


def _rows(conn: Connection, name: str, *, report: Report | None = None, ids=None):
    """Yield (id, content) of a chained table's rows in id order."""
    table = ENTRY.metadata.tables[name]
    stmt = select(table).order_by(table.c.id).limit(BATCH)
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(ids))
    last = None
    while True:
        page = stmt if last is None else stmt.where(table.c.id > last)
        try:
            batch = [(row.id, row_content(table, row)) for row in conn.execute(page)]
        except (ValueError, TypeError):  # SQLite holds a value its column type cannot read
            batch = _readable(conn, table, page)
        yield from batch
        if report is not None:
            report.records += len(batch)
        if len(batch) < BATCH:
            return
        last = batch[-1][0]


def _readable(conn: Connection, table, page) -> list:
    """Read a page row by row; a row that cannot be read gets content that matches nothing."""
    out = []
    for record_id in conn.scalars(page.with_only_columns(table.c.id)):
        try:
            row = conn.execute(page.where(table.c.id == record_id)).one()
            out.append((record_id, row_content(table, row)))
        except (ValueError, TypeError):
            out.append((record_id, {c.name: "unreadable" for c in table.c} | {"id": record_id}))
    return out


def _entries(conn: Connection, name: str, sets: dict, *, ids=None):
    """Yield (record id, [RowEntry...] in seq order) for a table's rows, in id order."""
    rid, seq = ENTRY.c.record_id, ENTRY.c.seq
    cols = (rid, seq, ENTRY.c.kind, ENTRY.c.field_set_id, ENTRY.c.digest)
    stmt = select(*cols).where(ENTRY.c.record_table == name, rid.is_not(None))
    stmt = stmt.order_by(rid, seq).limit(BATCH)
    if ids is not None:
        stmt = stmt.where(rid.in_(ids))
    last, current, group = None, None, []
    while True:
        if last is not None:  # keyset: after the last (record id, seq) read
            page = stmt.where(or_(rid > last[0], and_(rid == last[0], seq > last[1])))
        batch = conn.execute(stmt if last is None else page).all()
        for r in batch:
            if r.record_id != current:
                if group:
                    yield current, group
                current, group = r.record_id, []
            group.append(RowEntry(r.seq, r.kind, sets.get(r.field_set_id, ()), r.digest))
        if len(batch) < BATCH:
            break
        last = (batch[-1].record_id, batch[-1].seq)
    if group:
        yield current, group


def _field_sets(conn: Connection) -> dict[int, tuple[str, ...]]:
    rows = conn.execute(select(FIELD_SET.c.id, FIELD_SET.c.names))
    return {r.id: tuple(r.names.split(",")) for r in rows}


def _recheck(conn: Connection, suspects, sets, purges: Purges):
    """Read each suspect row and its entries again; yield what is still wrong."""
    by_table: dict[str, list[int]] = {}
    for finding in suspects:
        by_table.setdefault(finding.table, []).append(finding.record_id)
    again = Purges(ranges=purges.ranges)  # fresh tallies: the purge totals were taken already
    for name, ids in by_table.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            entries = _entries(conn, name, sets, ids=chunk)
            yield from check_rows(name, entries, _rows(conn, name, ids=chunk), again)
