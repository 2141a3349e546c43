"""What the fleet search shows of a record, copied by the projection into columns: the same
values the search read from the JSON before, and a ship's odd value never fails a batch."""

from __future__ import annotations

from types import SimpleNamespace

from gangway.services.shore.projection import _row


def row(table: str, record_id: int, **content) -> dict:
    return _row(1, SimpleNamespace(seq=9, record_table=table, record_id=record_id, content=content))


def test_a_movement_and_a_person_give_the_fields_the_search_shows():
    moved = row("movement", 5, person_id=12, direction="board", person_kind="crew",
                occurred_at="2026-12-07T05:00:00+00:00", person_family_name="MÜLLER",
                person_given_names="Hans")  # fmt: skip
    assert (moved["seen_at"], moved["person_ref"], moved["direction"]) == (
        "2026-12-07T05:00:00+00:00", 12, "board")  # fmt: skip
    assert (moved["person_family"], moved["person_given"], moved["person_kind"]) == (
        "MÜLLER", "Hans", "crew")  # fmt: skip
    person = row("person", 7, family_name="NGUYEN", kind="visitor", created_at="2026-12-01")
    assert (person["person_ref"], person["person_kind"], person["seen_at"]) == (
        7, "visitor", "2026-12-01")  # fmt: skip
    call = row("port_call", 3, port_name="Hamburg", arrived_at="2026-12-01")
    assert call["seen_at"] is None
    assert call["person_ref"] is None


def test_odd_values_from_a_ship_are_kept_as_text_or_left_out():
    odd = row("refusal", 2, person_id=2**70, direction=1, reason_code="x" * 500)
    assert odd["person_ref"] is None  # would not fit a bigint: the batch must still go in
    assert odd["direction"] == "1"
    assert len(odd["reason_code"]) == 500
    assert row("refusal", 2, person_id="42")["person_ref"] == 42
    assert row("refusal", 2, person_id=True)["person_ref"] is None
