"""Check the chains held ashore again, from the database: an entry or a record edited ashore
(by someone with write access to the shore's database) shows as it would on board."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreEntry, ShoreShip
from gangway.domain.records.audit_chain import GENESIS, Entry, Finding, digest, verify_chain

ROWS_AT_ONCE = 2_000  # streamed: a ship's chain may hold millions of entries


@dataclass(frozen=True)
class ShipCheck:
    """One ship's chain ashore: how many entries, the head, and what is wrong (first first)."""

    imo: str
    name: str
    entries: int
    findings: list[Finding]


def verify_fleet(session: Session, imo: str | None = None) -> list[ShipCheck]:
    """Verify every ship's chain held ashore (or one ship's), and the head each ship row names."""
    query = select(ShoreShip).order_by(ShoreShip.name)
    if imo:
        query = query.where(ShoreShip.imo == imo)
    return [_check(session, ship) for ship in session.scalars(query).all()]


def _check(session: Session, ship: ShoreShip) -> ShipCheck:
    seen = _Seen()
    findings = list(verify_chain(_entries(session, ship.id, seen)))
    findings += seen.records
    held = (seen.last.seq, seen.last.entry_hash) if seen.last else (0, GENESIS)
    if (ship.head_seq, ship.head_hash) != held:
        findings.append(
            Finding(
                "head_differs",
                f"the ship's head ashore is #{ship.head_seq}, the last entry held #{held[0]}",
            )
        )
    return ShipCheck(ship.imo, ship.name, seen.count, findings)


@dataclass
class _Seen:
    count: int = 0
    last: Entry | None = None
    records: list[Finding] = field(default_factory=list)


def _entries(session: Session, ship_id: int, seen: _Seen) -> Iterator[Entry]:
    """Yield a ship's entries in order, noting each record that does not match its digest."""
    rows = session.execute(
        select(ShoreEntry)
        .where(ShoreEntry.ship_id == ship_id)
        .order_by(ShoreEntry.seq)
        .execution_options(yield_per=ROWS_AT_ONCE)
    ).scalars()
    for row in rows:
        if not _record_matches(row):
            seen.records.append(
                Finding(
                    "record_altered",
                    f"the record of entry #{row.seq} ({row.kind}) does not match its digest",
                )
            )
        seen.count += 1
        seen.last = Entry(
            row.seq,
            row.kind,
            row.record_table,
            row.record_id,
            row.digest,
            row.recorded_at,
            row.prev_hash,
            row.entry_hash,
            row.payload,
        )
        yield seen.last


def _record_matches(row: ShoreEntry) -> bool:
    if row.content is None:
        return True
    fields = row.fields if row.fields is not None else sorted(row.content)
    if not all(f in row.content for f in fields):
        return False
    return digest({f: row.content[f] for f in fields}) == row.digest
