"""Tamper-evident records: every record-keeping event is an entry in one hash chain.

Rule source: ISPS Code A/10.3 (records kept in electronic format are protected by procedures
aimed at preventing their unauthorised deletion, destruction or amendment) and A/10.1 (which
records: security incidents, changes in security level, ...). Each entry carries the hash of
the one before it, so an entry edited, deleted or moved breaks the chain at that point; each
record row must still match the digest of its latest entry, so a row edited, deleted or
slipped in beside the app shows too. Corrections are new entries, never edits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from gangway.domain.ship.plan import MEASURES

GENESIS = "0" * 64  # the "previous hash" of the first entry
PURGE_KIND = "records.purged"


@dataclass(frozen=True)
class Chained:
    """How one table's rows are chained: the kind of entry when a row is added or changed."""

    created: str
    changes: tuple[tuple[str, str], ...] = ()  # (column, kind): first one that changed names it
    ignored: frozenset[str] = frozenset()  # bookkeeping columns that are not the record
    append_only: bool = False  # never edited nor deleted: a correction is a new row


# What is chained (table name -> kinds). The records of ISPS A/10.1 and who may act on them.
CHAINED: dict[str, Chained] = {
    "movement": Chained("movement.recorded", append_only=True),
    "refusal": Chained("refusal.recorded", append_only=True),
    "refusal_follow_up": Chained("refusal.acknowledged", append_only=True),
    "level_change": Chained("level.changed", append_only=True),
    "plan_revision": Chained("plan.changed", append_only=True),
    "declaration": Chained("declaration.recorded", append_only=True),
    "report_sign_off": Chained("report.signed_off", append_only=True),
    "badge": Chained("badge.issued", (("revoked_at", "badge.revoked"),)),
    "port_call": Chained(
        "port_call.opened",
        (
            ("departed_at", "port_call.closed"),
            ("archived_at", "port_call.archived"),
            ("share_documents", "port_call.document_sharing_changed"),
        ),
    ),
    "voyage": Chained("voyage.started", (("ended_at", "voyage.ended"),)),
    "user": Chained(
        "user.created",
        (
            ("role", "user.role_changed"),
            ("is_enabled", "user.enabled_changed"),
            ("password_hash", "user.password_changed"),
            ("facility_name", "user.facility_changed"),
            ("facility_unlocode", "user.facility_changed"),
        ),
        # Counted on every login attempt; the failures themselves are "login.failed" entries.
        frozenset({"failed_logins", "locked_until"}),
    ),
    "api_token": Chained(
        "api_token.created",
        (("revoked_at", "api_token.revoked"), ("is_device", "api_token.device_changed")),
    ),
    # Late scans are judged against the pack the tablet held: its issue time is evidence.
    "offline_pack": Chained("offline_pack.issued", append_only=True),
    "watch_list_entry": Chained("watch_list.added", (("removed_at", "watch_list.removed"),)),
    # Ashore: the CSO's fleet watch list (issue 17 point 6), every ship takes it at its contact.
    "fleet_watch_entry": Chained("fleet_watch.added", (("removed_at", "fleet_watch.removed"),)),
    # Who crosses: who is aboard and the crew page show these; each record keeps its own copy.
    "person": Chained(
        "person.registered",
        (
            ("is_enabled", "person.enabled_changed"),
            ("family_name", "person.renamed"),
            ("given_names", "person.renamed"),
        ),
        # Presence: every scan moves it (services/scan_writes.py, outside the ORM), so it is
        # not in the digest; it is a function of the chained movements (domain/presence_log.py)
        # and verify-log and every scan recompute it from them instead.
        frozenset({"aboard_movement_id"}),
    ),
    # A document photo the SSO kept (issue 18): its SHA-256 chained, the image beside it.
    # Its kind must not end in ".deleted": the row stays, with who deleted the image when.
    "document_photo": Chained("document_photo.kept", (("deleted_at", "document_photo.removed"),)),
    # The name a person had before a rename (the records keep theirs: movement.person_*).
    "person_rename": Chained("person_rename.recorded", append_only=True),
    # The level and the plan's measures in force: what every scan reads (B/9.13-9.17).
    "ship": Chained(
        "ship.registered",
        (
            ("security_level", "ship.level_set"),
            *((c, "ship.plan_changed") for c in MEASURES),
        ),
    ),
    # A stored copy of a report: its files' hashes are chained once the copy is written (the
    # job's status, its error and the mailing are bookkeeping, claimed with a bulk UPDATE).
    "report_snapshot": Chained(
        "report.requested",
        (("html_sha256", "report.stored"), ("pdf_sha256", "report.stored")),
        frozenset({"status", "error", "mailed_to", "mail_error"}),
    ),
    # The Security Report's particulars and certificate, and ship-to-ship activities (issue 19).
    "ship_particulars": Chained("ship_particulars.recorded", append_only=True),
    "sts_activity": Chained("sts_activity.recorded", append_only=True),
    # A port state control officer's access (issue 19); each page they open is an
    # "inspection.viewed" event (gangway.services.inspections.pages).
    "inspection_access": Chained(
        "inspection.issued",
        (("revoked_at", "inspection.revoked"), ("link_used_at", "inspection.opened")),
    ),
    "access_point": Chained(
        "access_point.added",
        tuple(
            (c, "access_point.plan_changed")
            for c in ("open_at_1", "open_at_2", "open_at_3", "one_way")
        ),
    ),
}
# Chained by a later version: a database upgraded across `CHAINED_LATER[table]` (an Alembic
# revision) adopts that table's rows once, at `gangway init-db` (cli.py).
CHAINED_LATER = {
    "person": "d5e0c4a1b209",
    "access_point": "d5e0c4a1b209",
    "plan_revision": "d6f1a2b3c410",  # created then, with the plan as it stood
    "ship": "b8c4e2f1a710",
    "report_snapshot": "b8c4e2f1a710",
    "voyage": "f3b1c2d4e5a6",  # created then, for the stretches at sea between past calls
}


def change_kind(table: str, changed: Iterable[str]) -> str:
    """Name the entry for a change of a chained row, from the columns that changed."""
    changed = set(changed)
    kind = next((k for column, k in CHAINED[table].changes if column in changed), None)
    return kind or f"{table}.changed"


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
