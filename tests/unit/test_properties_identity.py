"""Properties of document numbers and watch list matching over any typed text.

The watch types a document number off the document by hand (ISPS Code B/9.14.1), with spaces,
dashes and either case; the same document must compare equal however it is typed, and a watch
list entry must stop the person it names (B/9.12) without stopping namesakes.
"""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.scan.identity import (
    DOCUMENT_MISMATCH,
    DOCUMENT_NOT_INSPECTED,
    WatchEntry,
    check_inspected_document,
    find_watch_list_match,
    normalise_document_number,
)

PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
DOCUMENT_CHARS = re.compile(r"^[0-9A-Z]*$")
numbers = st.text(string.ascii_letters + string.digits, min_size=1, max_size=20)
separators = st.text(" -./", max_size=3)


@st.composite
def typed_as(draw, number: str) -> str:
    """Return the number as a watch might type it: any case, separators anywhere."""
    out = draw(separators)
    for char in number:
        out += draw(st.sampled_from([char.lower(), char.upper()])) + draw(separators)
    return out


@PROPERTIES
@given(st.none() | st.text())
def test_any_text_normalises_to_letters_and_digits_and_normalising_twice_changes_nothing(text):
    once = normalise_document_number(text)
    assert DOCUMENT_CHARS.match(once)
    assert normalise_document_number(once) == once


@PROPERTIES
@given(numbers.flatmap(lambda n: st.tuples(st.just(n), typed_as(n), typed_as(n))))
def test_the_same_document_typed_two_ways_matches_the_record(typed):
    number, shown, on_record = typed
    assert normalise_document_number(shown) == number.upper()
    assert check_inspected_document(shown, on_record) is None
    assert check_inspected_document(shown, None) is None


@PROPERTIES
@given(st.none() | st.text(), st.none() | st.text())
def test_a_check_by_hand_passes_only_for_a_typed_number_that_matches(shown, on_record):
    problem = check_inspected_document(shown, on_record)
    typed, recorded = normalise_document_number(shown), normalise_document_number(on_record)
    if not typed:
        assert problem == DOCUMENT_NOT_INSPECTED
    elif on_record and recorded != typed:
        assert problem == DOCUMENT_MISMATCH
    else:
        assert problem is None


@PROPERTIES
@given(st.text(max_size=20), st.text(max_size=20), st.none() | numbers, st.text(max_size=20))
def test_a_watch_list_entry_stops_its_document_but_never_a_namesake_by_family_name(
    family, given, document, reason
):
    by_family = WatchEntry(1, reason, family_name=family or "X")
    assert find_watch_list_match(family or "X", given, document, [by_family]) is None
    if document:
        by_document = WatchEntry(2, reason, document_number=document.lower() + " ")
        entries = [by_family, by_document]
        assert find_watch_list_match("OTHER", "Name", document, entries) == by_document
