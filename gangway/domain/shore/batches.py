"""A ship's batch of audit-chain entries, verified against the copy of its chain the shore holds.

Rule source: ISPS Code A/10.3 (records protected against unauthorised deletion, destruction or
amendment) and issue 17 point 3: ashore every entry must follow the one before it, every record
must match its entry, and a batch that does not continue what the shore holds (a chain rewritten
on board, entries removed, a token reused by another ship) is refused whole. The hashes are the
ship's own (gangway.domain.records.audit_chain): the shore recomputes, never re-implements them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from gangway.domain.records.audit_chain import GENESIS, canonical_json, digest, entry_hash

# Stable codes of a divergence (the API's 409 and the quarantine's reason carry them).
SEQ_GAP = "seq_gap"  # an entry is missing: the batch skips a sequence number
PREV_HASH = "prev_hash"  # an entry does not follow the one before it
ENTRY_HASH = "entry_hash"  # an entry does not hash to its own hash (altered in transit or aboard)
DIGEST = "digest"  # a record's content or an event's payload does not match its entry's digest
HELD_DIFFERS = "held_differs"  # an entry the shore already holds comes back different
WRONG_SHIP = "wrong_ship"  # the batch names another ship than the token's
BACKDATED = "backdated"  # an entry claims a time well before the entry it follows
CODES = (SEQ_GAP, PREV_HASH, ENTRY_HASH, DIGEST, HELD_DIFFERS, WRONG_SHIP, BACKDATED)
LABELS = {  # the codes in plain words, for the CSO's fleet page
    SEQ_GAP: "Entries missing from the chain",
    PREV_HASH: "Chain broken: an entry does not follow the one before",
    ENTRY_HASH: "An entry was altered",
    DIGEST: "A record does not match its entry",
    HELD_DIFFERS: "Chain rewritten on board",
    WRONG_SHIP: "Link token used by another ship",
    BACKDATED: "Backdated entry",
}

# A ship's clock may be set back a little (NTP, a watch keeper's correction); the chain's own
# writer stamps entries in order, so an entry much older than the one before it was slipped in.
CLOCK_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class WireEntry:
    """One entry as the ship sends it: the chain link, plus the record's content when known."""

    seq: int
    kind: str
    record_table: str | None
    record_id: int | None
    digest: str
    payload: str | None
    prev_hash: str
    entry_hash: str
    recorded_at: datetime
    fields: tuple[str, ...] | None = None  # the columns the digest covers
    content: dict | None = None  # the row's content, None when it changed since


@dataclass(frozen=True)
class Head:
    """The last entry the shore holds of a ship's chain (seq 0 and GENESIS: nothing yet)."""

    seq: int = 0
    entry_hash: str = GENESIS
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Accepted:
    """The batch continues the chain: the entries to add, how many were held already, the head."""

    entries: tuple[WireEntry, ...]
    already_held: int
    head: Head


@dataclass(frozen=True)
class Diverged:
    """The batch is refused whole: a stable code, the first sequence number at fault, why."""

    code: str
    seq: int
    message: str


def verify_batch(
    ship_imo: str,
    batch_imo: str,
    head: Head,
    held: Mapping[int, str],
    entries: Sequence[WireEntry],
    slack: timedelta = CLOCK_SLACK,
) -> Accepted | Diverged:
    """Verify a batch against the shore's head and the hashes it holds (seq -> entry hash).

    `held` must name every entry of the batch numbered up to the head.
    """
    first = entries[0].seq if entries else head.seq + 1
    if batch_imo != ship_imo:
        return Diverged(WRONG_SHIP, first, _wrong_ship(batch_imo, ship_imo))
    if first > head.seq + 1:
        gap = _span(head.seq + 1, first - 1)
        message = f"entry {gap} is missing: the batch starts at #{first}"
        return Diverged(SEQ_GAP, head.seq + 1, message)
    fresh: list[WireEntry] = []
    before: WireEntry | None = None
    for e in entries:
        if before is not None and e.seq != before.seq + 1:
            gap = _span(before.seq + 1, e.seq - 1) if e.seq > before.seq else f"#{e.seq}"
            return Diverged(SEQ_GAP, before.seq + 1, f"entries out of order at {gap}")
        if fault := _check(e, head, held, fresh[-1] if fresh else None, slack):
            return fault
        if e.seq > head.seq:
            fresh.append(e)
        before = e
    top = fresh[-1] if fresh else None
    new_head = Head(top.seq, top.entry_hash, top.recorded_at) if top else head
    return Accepted(tuple(fresh), len(entries) - len(fresh), new_head)


def _check(
    e: WireEntry, head: Head, held: Mapping[int, str], last: WireEntry | None, slack: timedelta
) -> Diverged | None:
    """Check one entry: its own hash, then the held copy or its link, time and record."""
    if e.entry_hash != _recomputed(e):
        return Diverged(ENTRY_HASH, e.seq, f"entry #{e.seq} ({e.kind}) does not match its hash")
    if e.seq <= head.seq:
        if held.get(e.seq) != e.entry_hash:
            return Diverged(
                HELD_DIFFERS,
                e.seq,
                f"entry #{e.seq} differs from the one the shore holds: the chain on board "
                "was rewritten",
            )
        return None
    prev_hash, prev_at = (last.entry_hash, last.recorded_at) if last else _head_link(head)
    if e.prev_hash != prev_hash:
        return Diverged(PREV_HASH, e.seq, f"entry #{e.seq} does not follow entry #{e.seq - 1}")
    if prev_at is not None and e.recorded_at < prev_at - slack:
        return Diverged(
            BACKDATED,
            e.seq,
            f"entry #{e.seq} is dated {_minute(e.recorded_at)}, before entry #{e.seq - 1} "
            f"({_minute(prev_at)})",
        )
    if not _record_ok(e):
        what = "its payload" if e.payload is not None else "the record sent with it"
        return Diverged(DIGEST, e.seq, f"entry #{e.seq} ({e.kind}) does not match {what}")
    return None


def _head_link(head: Head) -> tuple[str, datetime | None]:
    return head.entry_hash, head.recorded_at


def _recomputed(e: WireEntry) -> str:
    return entry_hash(
        e.prev_hash, e.seq, e.kind, e.record_table, e.record_id, e.digest, e.recorded_at
    )


def _record_ok(e: WireEntry) -> bool:
    """Tell whether the payload, and the content when sent, hash to the entry's digest."""
    if e.payload is not None:
        try:
            value = json.loads(e.payload)
        except ValueError:
            return False
        # Stored as canonical JSON on board, so its bytes are what the digest covers.
        if canonical_json(value) != e.payload.encode() or digest(value) != e.digest:
            return False
    if e.content is None:
        return True
    if e.fields is None:
        return digest(e.content) == e.digest
    if not all(f in e.content for f in e.fields):
        return False
    return digest({f: e.content[f] for f in e.fields}) == e.digest


def _wrong_ship(batch_imo: str, ship_imo: str) -> str:
    return (
        f"the batch names IMO {batch_imo}, but its token is IMO {ship_imo}'s: "
        "a token reused by another ship"
    )


def _span(first: int, last: int) -> str:
    return f"#{first}" if first == last else f"#{first}-#{last}"


def _minute(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")
