"""Tamper-evident records: every record-keeping event is an entry in one hash chain.

Rule source: ISPS Code A/10.3 (records kept in electronic format are protected by procedures
aimed at preventing their unauthorised deletion, destruction or amendment) and A/10.1 (which
records: security incidents, changes in security level, ...). Each entry carries the hash of
the one before it, so an entry edited, deleted or moved breaks the chain at that point; each
record row must still match the digest of its latest entry, so a row edited, deleted or
slipped in beside the app shows too. Corrections are new entries, never edits. Which tables
are chained, and the kind of entry each change makes: gangway.domain.records.chained_tables.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64  # the "previous hash" of the first entry
PURGE_KIND = "records.purged"


def canonical_json(value) -> bytes:
    """Return the one byte string a JSON value has: sorted keys, no spaces, ASCII escapes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("ascii")


def digest(value) -> str:
    """Return the SHA-256 hex of a JSON value's canonical form (row content or event data)."""
    return _sha256(canonical_json(value))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One link of the chain; `record_table`/`record_id` are None for events that are not rows."""

    seq: int
    kind: str
    record_table: str | None
    record_id: int | None
    digest: str
    recorded_at: datetime
    prev_hash: str
    entry_hash: str
    payload: str | None = None  # the event data, for events that are not rows


def entry_hash(
    prev_hash: str,
    seq: int,
    kind: str,
    record_table: str | None,
    record_id: int | None,
    content_digest: str,
    recorded_at: datetime,
) -> str:
    """Return SHA-256(prev_hash || seq || kind || record || content digest || time)."""
    parts = [prev_hash, seq, kind, record_table, record_id, content_digest, _iso(recorded_at)]
    return digest(parts)


def next_entry(
    head: tuple[int, str] | None,
    kind: str,
    record_table: str | None,
    record_id: int | None,
    content_digest: str,
    recorded_at: datetime,
    payload: str | None = None,
) -> Entry:
    """Return the entry that follows `head` ((seq, entry_hash) of the last one, None if empty)."""
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    link = entry_hash(prev, seq, kind, record_table, record_id, content_digest, recorded_at)
    return Entry(
        seq, kind, record_table, record_id, content_digest, recorded_at, prev, link, payload
    )


@dataclass(frozen=True)
class Finding:
    """Something the verifier found wrong, with a stable code and a message naming the row."""

    code: str
    message: str


def verify_chain(entries: Iterable[Entry]) -> Iterator[Finding]:
    """Check each entry's hash, its link to the one before, and that no sequence number is missing.

    After a break the stored hash is followed on, so each tampered place is named once.
    """
    prev_seq, prev_hash = 0, GENESIS
    for e in entries:
        if e.seq != prev_seq + 1:
            gone = f"#{prev_seq + 1}" if e.seq == prev_seq + 2 else f"#{prev_seq + 1}-#{e.seq - 1}"
            yield Finding("entry_missing", f"entry {gone} is missing: the chain jumps to #{e.seq}")
        elif e.prev_hash != prev_hash:
            yield Finding("chain_broken", f"entry #{e.seq} does not follow entry #{prev_seq}")
        expected = entry_hash(
            e.prev_hash, e.seq, e.kind, e.record_table, e.record_id, e.digest, e.recorded_at
        )
        # An event's payload is stored as its canonical JSON, so its bytes hash to the digest.
        payload_ok = e.payload is None or _sha256(e.payload.encode()) == e.digest
        if expected != e.entry_hash or not payload_ok:
            yield Finding(
                "entry_altered", f"entry #{e.seq} ({e.kind}) was altered after it was written"
            )
        prev_seq, prev_hash = e.seq, e.entry_hash


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Compress record ids into sorted [first, last] runs (a purge's ids are mostly contiguous)."""
    runs: list[list[int]] = []
    for i in sorted(set(ids)):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


def removed_digest(lines: Iterable[tuple[int, str]]) -> str:
    """Return the digest of removed rows: SHA-256 over "id:entry digest" lines in id order."""
    h = hashlib.sha256()
    for record_id, content_digest in lines:
        h.update(f"{record_id}:{content_digest}\n".encode())
    return h.hexdigest()


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")
