"""Check record rows against the audit chain: edited, deleted, or never chained.

Rule source: ISPS Code A/10.3 (records protected against unauthorised deletion, destruction or
amendment) and SOLAS XI-2/9.2.1 with 33 CFR 104.235 for the one deletion that is authorised: a
purge of an archived port call past the retention period, itself an entry of the chain.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from gangway.domain.records.audit_chain import Finding, digest, removed_digest


@dataclass(frozen=True)
class RowEntry:
    """What the chain says about one row: an entry's seq, kind, covered columns and digest."""

    seq: int
    kind: str
    fields: tuple[str, ...]
    digest: str


@dataclass(frozen=True)
class RowFinding(Finding):
    """A finding about one record row, which the verifier may look at again."""

    table: str = ""
    record_id: int = 0


@dataclass
class Purges:
    """The authorised purges found in the chain: which rows each removed, and their digests."""

    ranges: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    expected: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    seen: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=dict)

    def add(self, seq: int, payload: Mapping) -> None:
        """Register a purge entry's payload: {"tables": {table: {count, ids, sha256}}}."""
        for table, removed in payload.get("tables", {}).items():
            self.ranges.setdefault(table, []).extend((lo, hi, seq) for lo, hi in removed["ids"])
            self.expected[(seq, table)] = (removed["count"], removed["sha256"])

    def sweep(self, table: str):
        """Return covering(record_id) -> seqs of the purges that removed it; ids must ascend."""
        runs = sorted(self.ranges.get(table, ()))
        active: list[tuple[int, int]] = []  # (last id, purge seq) of the runs under the id
        nxt = 0

        def covering(record_id: int) -> list[int]:
            nonlocal nxt
            while nxt < len(runs) and runs[nxt][0] <= record_id:
                heapq.heappush(active, (runs[nxt][1], runs[nxt][2]))
                nxt += 1
            while active and active[0][0] < record_id:
                heapq.heappop(active)
            return sorted(seq for _, seq in active)

        return covering

    def findings(self) -> Iterator[Finding]:
        """Compare what each purge says it removed with what the chain held for those rows."""
        for (seq, table), (count, expected) in sorted(self.expected.items()):
            lines = sorted(self.seen.get((seq, table), []))
            if len(lines) != count or removed_digest(lines) != expected:
                yield Finding(
                    "purge_mismatch",
                    f"entry #{seq} (purge) says it removed {count} {table} rows, but the chain "
                    f"shows {len(lines)} other ones under those ids",
                )


def check_rows(
    table: str,
    entries: Iterable[tuple[int, list[RowEntry]]],
    rows: Iterable[tuple[int, Mapping]],
    purges: Purges,
) -> Iterator[RowFinding]:
    """Compare a table's rows with their chain entries; both streams sorted by record id.

    Each row must match the digest of its latest entry over that entry's columns; a row the
    chain knows must exist unless a deletion or a purge entry (later than it) removed it.
    """
    covering = purges.sweep(table)
    for record_id, history, row in _merge(entries, rows):
        removed_by = None
        for purge in covering(record_id):
            before = [e for e in history if e.seq < purge]
            if before:  # what this purge removed: the row as its last entry before the purge
                purges.seen.setdefault((purge, table), []).append((record_id, before[-1].digest))
                removed_by = purge if before[-1] is history[-1] else removed_by
        latest = history[-1] if history else None
        if latest is not None and latest.kind.endswith(".deleted"):
            removed_by = latest.seq
        problem = _problem(latest, row, removed_by)
        if problem:
            code, text = problem
            yield RowFinding(code, f"{table} {record_id} {text}", table, record_id)


def _problem(latest: RowEntry | None, row: Mapping | None, removed_by: int | None):
    """Return (code, message tail) for a row against its latest entry, or None if it matches."""
    if row is None:
        if latest is None or removed_by:
            return None
        return "row_deleted", (
            f"was deleted: chain entry #{latest.seq} ({latest.kind}) records it "
            "and no purge removed it"
        )
    if latest is None:
        return "row_unchained", "has no chain entry: it was written outside the app"
    if removed_by:
        return "row_unchained", f"was removed by entry #{removed_by} but is there again"
    if any(f not in row for f in latest.fields):
        return "row_altered", f"lost a column chain entry #{latest.seq} ({latest.kind}) covers"
    if digest({f: row[f] for f in latest.fields}) != latest.digest:
        return "row_altered", f"was changed after chain entry #{latest.seq} ({latest.kind})"
    return None


def _merge(entries, rows):
    """Yield (id, entries, row or None) over the union of ids of two id-sorted streams."""
    entries, rows = iter(entries), iter(rows)
    e, r = next(entries, None), next(rows, None)
    while e is not None or r is not None:
        if r is None or (e is not None and e[0] < r[0]):
            yield e[0], e[1], None
            e = next(entries, None)
        elif e is None or r[0] < e[0]:
            yield r[0], [], r[1]
            r = next(rows, None)
        else:
            yield e[0], e[1], r[1]
            e, r = next(entries, None), next(rows, None)
