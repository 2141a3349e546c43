"""The audit chain's pure core: hashing, chain verification and the row checks (ISPS A/10.3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from gangway.domain.records.audit_chain import (
    GENESIS,
    canonical_json,
    digest,
    id_ranges,
    next_entry,
    removed_digest,
    verify_chain,
)
from gangway.domain.records.audit_records import Purges, RowEntry, check_rows
from gangway.domain.records.chained_tables import change_kind

AT = datetime(2026, 11, 22, 19, 0, 0, 123456, tzinfo=UTC)
FIELDS = ("direction", "id", "occurred_at")


def chain(n: int = 5):
    """Return n entries: movement rows 1..n, each linked to the one before."""
    entries, head = [], None
    for i in range(1, n + 1):
        e = next_entry(head, "movement.recorded", "movement", i, digest(row(i)), AT)
        entries.append(e)
        head = (e.seq, e.entry_hash)
    return entries


def row(i: int, **changes) -> dict:
    return {"id": i, "direction": "board", "occurred_at": f"2026-11-22T10:0{i % 10}:00", **changes}


def codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in findings]


def test_canonical_json_ignores_key_order_and_escapes_non_ascii():
    assert canonical_json({"b": 1, "a": "Ærø"}) == b'{"a":"\\u00c6r\\u00f8","b":1}'
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})


def test_the_first_entry_follows_the_genesis_hash_and_each_next_one_its_predecessor():
    entries = chain(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[2].prev_hash == entries[1].entry_hash
    assert list(verify_chain(entries)) == []


def test_an_edited_entry_is_named_once_and_the_chain_goes_on_from_it():
    entries = chain()
    entries[2] = replace(entries[2], digest=digest(row(3, direction="depart")))
    assert codes(verify_chain(entries)) == [
        ("entry_altered", "entry #3 (movement.recorded) was altered after it was written")
    ]


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next():
    entries = chain()
    forged = next_entry(
        (2, entries[1].entry_hash), "movement.recorded", "movement", 3, "f" * 64, AT
    )
    entries[2] = forged
    assert codes(verify_chain(entries)) == [("chain_broken", "entry #4 does not follow entry #3")]


def test_deleted_entries_are_named_by_their_numbers():
    entries = chain(6)
    assert codes(verify_chain(entries[:2] + entries[3:])) == [
        ("entry_missing", "entry #3 is missing: the chain jumps to #4")
    ]
    assert codes(verify_chain(entries[:1] + entries[4:]))[0] == (
        "entry_missing",
        "entry #2-#4 is missing: the chain jumps to #5",
    )


def test_swapped_entries_are_named_from_the_first_one():
    entries = chain()
    a, b = entries[1], entries[2]
    entries[1], entries[2] = replace(b, seq=2), replace(a, seq=3)
    found = codes(verify_chain(entries))
    assert found[0] == ("chain_broken", "entry #2 does not follow entry #1")
    assert (
        "entry_altered",
        "entry #2 (movement.recorded) was altered after it was written",
    ) in found


def test_an_events_payload_must_hash_to_its_digest():
    data = {"username": "watch", "reason": "wrong_password"}
    e = next_entry(
        None, "login.failed", None, None, digest(data), AT, canonical_json(data).decode()
    )
    assert list(verify_chain([e])) == []
    edited = replace(e, payload=e.payload.replace("watch", "sso"))
    assert [f.code for f in verify_chain([edited])] == ["entry_altered"]


def rows_check(rows: dict[int, dict], history: dict[int, list[RowEntry]], purges=None):
    return codes(
        check_rows("movement", sorted(history.items()), sorted(rows.items()), purges or Purges())
    )


def entry(seq: int, content: dict, kind="movement.recorded", fields=FIELDS) -> RowEntry:
    return RowEntry(seq, kind, fields, digest({f: content[f] for f in fields}))


def test_rows_that_match_their_latest_entry_pass():
    rows = {1: row(1), 2: row(2)}
    assert rows_check(rows, {1: [entry(1, row(1))], 2: [entry(2, row(2))]}) == []


def test_an_edited_row_a_deleted_row_and_an_unchained_row_are_each_named():
    rows = {1: row(1, direction="depart"), 3: row(3)}
    history = {1: [entry(4, row(1))], 2: [entry(5, row(2))]}
    assert rows_check(rows, history) == [
        ("row_altered", "movement 1 was changed after chain entry #4 (movement.recorded)"),
        (
            "row_deleted",
            "movement 2 was deleted: chain entry #5 (movement.recorded) records it "
            "and no purge removed it",
        ),
        ("row_unchained", "movement 3 has no chain entry: it was written outside the app"),
    ]


def test_a_row_is_checked_against_its_latest_entry_only():
    revoked = row(1, direction="depart")
    history = {1: [entry(1, row(1), "badge.issued"), entry(7, revoked, "badge.revoked")]}
    assert rows_check({1: revoked}, history) == []
    assert [c for c, _ in rows_check({1: row(1)}, history)] == ["row_altered"]


def test_a_column_added_later_leaves_older_digests_valid():
    newer = {**row(1), "received_at": None}
    assert rows_check({1: newer}, {1: [entry(1, row(1))]}) == []


def purge_of(seq: int, removed: dict[int, dict], count: int | None = None) -> Purges:
    purges = Purges()
    lines = [(i, digest({f: r[f] for f in FIELDS})) for i, r in sorted(removed.items())]
    purges.add(
        seq,
        {
            "tables": {
                "movement": {
                    "count": len(lines) if count is None else count,
                    "ids": id_ranges(removed),
                    "sha256": removed_digest(lines),
                }
            }
        },
    )
    return purges


def test_rows_removed_by_a_purge_may_be_absent_and_the_purge_digest_matches():
    history = {i: [entry(i, row(i))] for i in (1, 2, 3)}
    purges = purge_of(10, {1: row(1), 2: row(2)})
    assert rows_check({3: row(3)}, history, purges) == []
    assert list(purges.findings()) == []


def test_a_purge_covers_only_the_rows_it_names_and_no_row_may_come_back():
    history = {i: [entry(i, row(i))] for i in (1, 2, 3)}
    purges = purge_of(10, {1: row(1)})
    found = rows_check({1: row(1)}, history, purges)
    assert found[0] == ("row_unchained", "movement 1 was removed by entry #10 but is there again")
    assert [c for c, _ in found[1:]] == ["row_deleted", "row_deleted"]


def test_a_purge_entry_that_claims_other_rows_than_the_chain_holds_is_named():
    history = {i: [entry(i, row(i))] for i in (1, 2)}
    purges = purge_of(10, {1: row(1), 2: row(2)}, count=3)
    rows_check({}, history, purges)
    assert [f.code for f in purges.findings()] == ["purge_mismatch"]


def test_an_id_reused_after_a_purge_is_checked_as_a_new_row():
    history = {1: [entry(1, row(1)), entry(12, row(1, direction="depart"))]}
    purges = purge_of(10, {1: row(1)})
    assert rows_check({1: row(1, direction="depart")}, history, purges) == []
    assert list(purges.findings()) == []


def test_id_ranges_compress_runs():
    assert id_ranges([5, 1, 2, 3, 9, 8]) == [[1, 3], [5, 5], [8, 9]]
    assert id_ranges([]) == []


@pytest.mark.parametrize(
    ("table", "changed", "kind"),
    [
        ("badge", {"revoked_at", "revoked_reason"}, "badge.revoked"),
        ("port_call", {"departed_at"}, "port_call.closed"),
        ("port_call", {"share_documents"}, "port_call.document_sharing_changed"),
        ("user", {"role"}, "user.role_changed"),
        ("user", {"display_name"}, "user.changed"),
    ],
)
def test_a_change_is_named_by_the_column_that_matters(table, changed, kind):
    assert change_kind(table, changed) == kind
