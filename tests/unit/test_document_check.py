"""Checking a document by hand: a slip of the finger is a near miss, another type is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.identity import (
    DOCUMENT_TYPES,
    check_document_type,
    document_hint,
    document_type_code,
    edit_distance,
    is_near_miss,
)
from gangway.domain.scan.reasons import label
from gangway.domain.scan.types import (
    Credential,
    Direction,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    Verdict,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
AGENT = PersonFacts(
    4, PersonKind.VISITOR, "MÜLLER", "Sabine", document_number="P1234567", document_type="passport"
)


@pytest.mark.parametrize(
    ("typed", "on_record", "near"),
    [
        ("P1234567", "P1234567", False),  # the same: a match, not a near miss
        ("p123 45-67", "P1234567", False),  # the same, typed with case and separators
        ("P1234568", "P1234567", True),  # one character wrong
        ("PI234567", "P1234567", True),  # I for 1
        ("P12345X7", "P1234567", True),  # any character wrong, not only a lookalike
        ("NL0RT99", "NLORT99", True),  # 0 for O
        ("P1243567", "P1234567", True),  # two neighbours swapped: one slip
        ("P123457", "P1234567", True),  # one character missed
        ("P12345678", "P1234567", True),  # one character added
        ("P1234599", "P1234567", True),  # two characters wrong
        ("P2143567", "P1234567", True),  # two swaps
        ("P1234999", "P1234567", False),  # three characters wrong: another document
        ("P7654321", "P1234567", False),  # another document
        ("", "P1234567", False),  # nothing typed: not inspected, not a near miss
        ("P1234567", None, False),  # nothing on record to be near
        ("4712", "4711", True),  # short numbers: one slip
        ("4722", "4711", False),  # ... but not two
        ("47111", "4711", True),
        ("4", "4711", False),
    ],
)
def test_near_miss_table(typed, on_record, near):
    assert is_near_miss(typed, on_record) is near


@pytest.mark.parametrize(
    ("a", "b", "slips"),
    [
        ("", "", 0),
        ("ABC", "ABC", 0),
        ("ABC", "", 3),
        ("", "AB", 2),
        ("ABC", "ABD", 1),
        ("ABC", "ACB", 1),
        ("ABCD", "BADC", 2),
        ("ABC", "AC", 1),
        ("CA", "ABC", 3),  # a swap and an insertion cannot share a character (no double edit)
    ],
)
def test_edit_distance_counts_each_slip_once(a, b, slips):
    assert edit_distance(a, b) == slips
    assert edit_distance(b, a) == slips


@pytest.mark.parametrize(
    ("shown", "on_record", "code"),
    [
        ("passport", "passport", None),
        ("passport", "Passport", None),  # a record typed in words
        ("seafarer_id", "Seafarer's ID", None),
        ("seafarer_id", "passport", "document_type_mismatch"),
        ("passport", "other", "document_type_mismatch"),
        ("passport", None, None),  # no type on record: nothing to compare
        ("passport", "Seaman's book", None),  # words that name no known type: cannot say
        (None, "passport", None),  # no type given (an API client): the number still decides
    ],
)
def test_document_type_table(shown, on_record, code):
    found = check_document_type(shown, on_record)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        *((c, c) for c in DOCUMENT_TYPES),
        (" PASSPORT ", "passport"),
        ("Driving licence", "driving_licence"),
        ("ID", None),
        (None, None),
    ],
)
def test_a_stored_type_reads_as_its_code_whether_saved_as_code_or_words(stored, code):
    assert document_type_code(stored) == code


@pytest.mark.parametrize(
    ("number", "hint"),
    [
        ("P1234567", "567"),
        ("nl-pil-4711", "711"),
        ("AB12345", "345"),  # 7 characters: 4 still to read
        ("AB1234", None),  # shorter: the hint would be half the number
        ("4711", None),
        ("", None),
        (None, None),
    ],
)
def test_search_hint_shows_only_the_last_three_characters_of_a_long_number(number, hint):
    assert document_hint(number) == hint


def by_hand(person=AGENT, number="P1234567", doc_type="passport") -> ScanFacts:
    return ScanFacts(
        direction=Direction.BOARD,
        credential=Credential.ID_DOCUMENT,
        person=person,
        purpose="Ship's agent",
        inspected_document=number,
        inspected_document_type=doc_type,
    )


@pytest.mark.parametrize(
    ("number", "doc_type", "codes"),
    [
        ("P1234567", "passport", []),
        ("P1234567", "national_id", ["document_type_mismatch"]),
        ("X999", "national_id", ["document_type_mismatch", "document_mismatch"]),
        ("X999", "passport", ["document_mismatch"]),
        ("", "national_id", ["document_not_inspected"]),
    ],
)
def test_a_document_of_another_type_is_refused_with_its_own_reason(number, doc_type, codes):
    decision = decide_scan(by_hand(number=number, doc_type=doc_type), Policy(), NOW)
    assert [r.code for r in decision.reasons] == codes
    assert decision.verdict is (Verdict.REFUSED if codes else Verdict.ALLOWED)


def test_type_on_record_in_unknown_words_lets_the_number_decide():
    person = replace(AGENT, document_type="Seaman's book")
    assert decide_scan(by_hand(person, doc_type="seafarer_id"), Policy(), NOW).is_allowed


def test_the_type_mismatch_reads_in_plain_words():
    assert label("document_type_mismatch") == "Different type of document from the record"
