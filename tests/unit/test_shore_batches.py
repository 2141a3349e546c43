"""The shore's check of a ship's batch: what continues the held chain, and every way it may not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.records.audit_chain import canonical_json, digest, entry_hash, next_entry
from gangway.domain.shore.batches import Accepted, Diverged, Head, WireEntry, verify_batch
from gangway.domain.shore.ships import is_valid_imo
from gangway.domain.shore.wire import MalformedBatch, parse_batch

AT = datetime(2026, 12, 7, 10, 0, 0, 123456, tzinfo=UTC)
IMO = "9074729"
FIELDS = ("direction", "id", "person_id")


def content(i: int, **changes) -> dict:
    return {"id": i, "direction": "board", "person_id": 7, "extra": "not covered", **changes}


def chain(n: int) -> list[WireEntry]:
    """Return n wire entries as a ship sends them: movements, every third a login event."""
    out, head = [], None
    for i in range(1, n + 1):
        at = AT + timedelta(seconds=i)
        if i % 3:
            row = content(i)
            value = digest({f: row[f] for f in FIELDS})
            e = next_entry(head, "movement.recorded", "movement", i, value, at)
            wire = WireEntry(**_link(e), payload=None, fields=FIELDS, content=row)
        else:
            data = {"username": f"user{i}"}
            e = next_entry(head, "login.failed", None, None, digest(data), at)
            payload = canonical_json(data).decode()
            wire = WireEntry(**_link(e), payload=payload)
        out.append(wire)
        head = (e.seq, e.entry_hash)
    return out


def _link(e) -> dict:
    keys = ("seq", "kind", "record_table", "record_id", "digest", "prev_hash", "entry_hash")
    return {k: getattr(e, k) for k in keys} | {"recorded_at": e.recorded_at}


def rehashed(e: WireEntry, **changes) -> WireEntry:
    """Change an entry and recompute its hash, as a forger with write access on board would."""
    e = replace(e, **changes)
    fields = (e.prev_hash, e.seq, e.kind, e.record_table, e.record_id, e.digest, e.recorded_at)
    return replace(e, entry_hash=entry_hash(*fields))


def held_by_shore(entries, upto: int) -> tuple[Head, dict[int, str]]:
    held = {e.seq: e.entry_hash for e in entries[:upto]}
    last = entries[upto - 1] if upto else None
    head = Head(last.seq, last.entry_hash, last.recorded_at) if last else Head()
    return head, held


CHAIN = chain(9)


def test_a_first_batch_is_accepted_whole_and_moves_the_head():
    result = verify_batch(IMO, IMO, Head(), {}, CHAIN)
    assert result == Accepted(tuple(CHAIN), 0, Head(9, CHAIN[-1].entry_hash, CHAIN[-1].recorded_at))


def test_a_batch_sent_twice_is_held_already_and_adds_nothing():
    head, held = held_by_shore(CHAIN, 9)
    result = verify_batch(IMO, IMO, head, held, CHAIN[3:])
    assert result == Accepted((), 6, head)


def test_a_batch_overlapping_the_head_adds_only_what_is_new():
    head, held = held_by_shore(CHAIN, 5)
    result = verify_batch(IMO, IMO, head, held, CHAIN[3:])
    assert isinstance(result, Accepted)
    assert [e.seq for e in result.entries] == [6, 7, 8, 9]
    assert result.already_held == 2


def _tampered(name: str):
    """(entries sent, entries held by the shore) for each way a batch may diverge."""
    sent = list(CHAIN)
    if name == "gap_after_head":
        return sent[6:], 5
    if name == "gap_inside":
        return sent[4:6] + sent[7:], 4
    if name == "prev_hash":  # #6 rebuilt on a different #5, its own hash consistent
        sent[5] = rehashed(sent[5], prev_hash="1" * 64)
        return sent[5:], 5
    if name == "entry_hash":  # the digest changed without recomputing the hash
        sent[6] = replace(sent[6], digest="2" * 64)
        return sent[5:], 5
    if name == "content":  # the row's content does not match its entry
        sent[6] = replace(sent[6], content=content(7, direction="leave"))
        return sent[5:], 5
    if name == "content_missing_field":
        sent[6] = replace(sent[6], content={"id": 7})
        return sent[5:], 5
    if name == "payload":  # an event's payload does not match its digest
        sent[5] = replace(sent[5], payload='{"username":"someone"}')
        return sent[5:], 5
    if name == "payload_not_canonical":
        sent[5] = replace(sent[5], payload='{"username": "user6"}')
        return sent[5:], 5
    if name == "held_rewritten":  # #3 rewritten on board, hashes recomputed from there on
        sent[2] = rehashed(sent[2], recorded_at=AT - timedelta(days=3))
        return sent[2:4], 5
    if name == "backdated":  # a new entry claims a time an hour before the one it follows
        sent[5] = rehashed(sent[5], recorded_at=sent[4].recorded_at - timedelta(hours=1))
        return sent[5:6], 5
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("name", "code", "seq", "words"),
    [
        ("gap_after_head", "seq_gap", 6, "entry #6 is missing: the batch starts at #7"),
        ("gap_inside", "seq_gap", 7, "out of order at #7"),
        ("prev_hash", "prev_hash", 6, "entry #6 does not follow entry #5"),
        ("entry_hash", "entry_hash", 7, "entry #7 (movement.recorded) does not match its hash"),
        ("content", "digest", 7, "does not match the record sent with it"),
        ("content_missing_field", "digest", 7, "the record sent with it"),
        ("payload", "digest", 6, "entry #6 (login.failed) does not match its payload"),
        ("payload_not_canonical", "digest", 6, "its payload"),
        ("held_rewritten", "held_differs", 3, "entry #3 differs from the one the shore holds"),
        ("backdated", "backdated", 6, "before entry #5"),
    ],
)
def test_a_batch_that_does_not_continue_the_held_chain_is_refused_naming_the_entry(
    name, code, seq, words
):
    sent, upto = _tampered(name)
    head, held = held_by_shore(CHAIN, upto)
    result = verify_batch(IMO, IMO, head, held, sent)
    assert isinstance(result, Diverged)
    assert (result.code, result.seq) == (code, seq)
    assert words in result.message


def test_a_token_used_for_another_ship_is_refused_as_wrong_ship():
    result = verify_batch(IMO, "9176187", Head(), {}, CHAIN)
    assert (result.code, result.seq) == ("wrong_ship", 1)
    assert f"names IMO 9176187, but its token is IMO {IMO}'s" in result.message


def test_a_clock_set_back_a_few_minutes_is_no_divergence():
    sent = rehashed(CHAIN[5], recorded_at=CHAIN[4].recorded_at - timedelta(minutes=5))
    head, held = held_by_shore(CHAIN, 5)
    assert isinstance(verify_batch(IMO, IMO, head, held, [sent]), Accepted)


def test_an_entry_whose_row_changed_since_comes_without_content_and_is_accepted():
    sent = [replace(e, content=None) for e in CHAIN]
    assert isinstance(verify_batch(IMO, IMO, Head(), {}, sent), Accepted)


def _body(**changes) -> dict:
    e = CHAIN[0]
    entry = {
        "seq": 1,
        "kind": e.kind,
        "record_table": "movement",
        "record_id": 1,
        "digest": e.digest,
        "payload": None,
        "prev_hash": e.prev_hash,
        "entry_hash": e.entry_hash,
        "recorded_at": "2026-12-07T10:00:01.123456Z",
        "fields": list(FIELDS),
        "content": content(1),
    }
    return {"protocol": 1, "imo": IMO, "entries": [entry], "status": None} | changes


def test_a_batch_as_sent_on_the_wire_reads_back_to_the_entries_the_ship_hashed():
    batch = parse_batch(_body(status={"security_level": 2, "on_board": {"crew": 20}}))
    assert batch.entries == (CHAIN[0],)
    assert batch.status == {"security_level": 2, "on_board": {"crew": 20}}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "JSON object"),
        (_body(protocol=2), "protocol"),
        (_body(imo="IMO 9074729"), "imo"),
        (_body(entries={}), "entries"),
        (_body(entries=[{"seq": "1"}]), "entries[0].seq"),
        (_body(entries=[_body()["entries"][0] | {"digest": "X" * 64}]), "entries[0].digest"),
        (_body(entries=[_body()["entries"][0] | {"recorded_at": "2026-12-07T10:00"}]), "offset"),
        (_body(entries=[_body()["entries"][0] | {"seq": True}]), "entries[0].seq"),
        (_body(status={"security_level": 4}), "status.security_level"),
        (_body(entries=[_body()["entries"][0] | {"content": {"id": [[1]]}}]), "content"),
        (_body(entries=[_body()["entries"][0] | {"payload": "{\u0000}"}]), "NUL"),
        (_body(entries=[_body()["entries"][0] | {"content": {"id": "A\u0000"}}]), "content"),
        (_body(entries=[_body()["entries"][0] | {"content": {"id": "\udc80"}}]), "content"),
        (_body(entries=[_body()["entries"][0] | {"content": {"id": 2**64}}]), "content"),
        (_body(entries=[_body()["entries"][0] | {"content": {"id": 1e400}}]), "content"),
        (_body(status={"port_call": {"port": ["a"]}}), "status.port_call.port"),
    ],
)
def test_a_malformed_batch_is_refused_naming_the_field(body, words):
    with pytest.raises(MalformedBatch, match=words.replace("[", r"\[").replace("]", r"\]")):
        parse_batch(body)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9074729", True),
        ("9176187", True),
        ("9074728", False),
        ("907472", False),
        ("９074729", False),
    ],
)
def test_an_imo_number_is_checked_by_its_check_digit(number, valid):
    assert is_valid_imo(number) is valid
