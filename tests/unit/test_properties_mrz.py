"""Properties of zone reading: what the generator writes reads back, and a changed character shows.

ICAO 9303 part 3's check digit weighs characters 7, 3, 1 modulo 10: any change to one digit of
a field is seen, but a letter worth the same modulo 10 (0 and A, K, U; 6 and G; 1 and B, L, V...)
is not. A zone that reads valid therefore shows what it prints: a change there is either caught
or shown as the new value, never hidden behind the old one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.documents.aamva import parse_aamva
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.fields import ALPHABET, as_digits, char_value
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.domain.codes.documents.mrz_make import LAYOUTS, make_mrz

PROPERTIES = settings(max_examples=200, deadline=None, derandomize=True, database=None)
FUZZ = settings(PROPERTIES, max_examples=100)
TODAY = date(2026, 12, 7)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
CODES = ["NOR", "DEU", "PHL", "UKR", "GBD", "UNO", "XXA", "EUE"]
TYPES = {"TD1": ["I", "ID", "AC", "C"], "TD2": ["I", "IR", "A"], "TD3": ["P", "PD", "PO"],
         "MRVA": ["V", "VR"], "MRVB": ["V"]}  # fmt: skip
# (longest number, optional data places) per format; TD1's second optional field has 11.
ROOM = {"TD1": (18, 15), "TD2": (14, 7), "TD3": (9, 14), "MRVA": (9, 16), "MRVB": (9, 8)}


@st.composite
def documents(draw) -> IdentityDocument:
    """Draw a document whose fields fit its format, as a 9303 zone holds them."""
    format_ = draw(st.sampled_from(list(LAYOUTS)))
    longest, places = ROOM[format_]
    number = draw(st.text(ALNUM, min_size=1, max_size=longest))
    if len(number) > 9:
        places -= len(number) - 9 + 2  # the carried characters, their check digit, a filler
    optional = draw(st.text(ALNUM, max_size=places))
    if format_ == "TD1" and (second := draw(st.text(ALNUM, max_size=11))):
        optional = f"{optional} {second}".strip()
    _, start, end = LAYOUTS[format_].fields["name"]
    family, given_names = draw(_names(end - start - 1))  # a filler left: the name is whole
    return IdentityDocument(
        format=format_,
        document_type=draw(st.sampled_from(TYPES[format_])),
        issuing_state=draw(st.sampled_from(CODES)),
        document_number=number,
        family_name=family,
        given_names=given_names,
        nationality=draw(st.sampled_from(CODES)),
        birth_date=draw(st.dates(TODAY - timedelta(days=36500) + timedelta(days=1), TODAY)),
        sex=draw(st.sampled_from("MFX")),
        expiry_date=draw(st.dates(date(1977, 1, 1), date(2076, 12, 31)))
        if draw(st.integers(0, 9)) < 9  # one in ten prints no expiry (some identity cards)
        else None,
        optional_data=optional,
    )


def _names(width: int):
    words = st.lists(st.text(LETTERS, min_size=1, max_size=9), min_size=1, max_size=3)
    pair = st.tuples(words, words | st.just([])).map(lambda p: (" ".join(p[0]), " ".join(p[1])))
    return pair.filter(lambda p: len(p[0]) + 2 + len(p[1]) <= width)


@PROPERTIES
@given(documents())
def test_a_zone_written_from_valid_fields_reads_back_to_them_and_is_valid(document):
    read = parse_mrz(make_mrz(document), TODAY)
    assert read.valid, read.problem
    assert read.cautions == ()
    assert replace(read, mrz=(), check_digits=(), cautions=()) == document


# Fields a check digit covers (the composite included), by format: (field, all digits?)
COVERED = {
    "TD1": [("document_number", False), ("birth_date", True), ("expiry_date", True),
            ("optional_data", False), ("optional_data_2", False)],
    "TD2": [("document_number", False), ("birth_date", True), ("expiry_date", True),
            ("optional_data", False)],
    "TD3": [("document_number", False), ("birth_date", True), ("expiry_date", True),
            ("optional_data", False)],
    "MRVA": [("document_number", False), ("birth_date", True), ("expiry_date", True)],
    "MRVB": [("document_number", False), ("birth_date", True), ("expiry_date", True)],
}  # fmt: skip


@PROPERTIES
@given(documents(), st.data())
def test_one_character_changed_in_a_covered_field_is_caught_or_shown_never_hidden(document, data):
    document = replace(document, document_number=document.document_number[:9])
    lines = make_mrz(replace(document, expiry_date=document.expiry_date or TODAY))
    layout = LAYOUTS[document.format]
    field, numeric = data.draw(st.sampled_from(COVERED[document.format]), label="field")
    line, start, end = layout.fields[field]
    at = data.draw(st.integers(start, end - 1), label="position")
    old = lines[line][at]
    new = data.draw(st.sampled_from(sorted(ALPHABET - {old})), label="new character")
    changed = list(lines)
    changed[line] = lines[line][:at] + new + lines[line][at + 1 :]
    before, after = parse_mrz(lines, TODAY), parse_mrz(changed, TODAY)
    if not after.valid:
        return
    if numeric:  # a date holds digits only: a letter is read as the digit it looks like
        assert as_digits(new) == old
        assert getattr(after, field) == getattr(before, field)
    else:  # the one change 7-3-1 cannot see; the zone shows the changed value
        assert char_value(new) % 10 == char_value(old) % 10
        assert _shown(after, field) != _shown(before, field)


def _shown(read: IdentityDocument, field: str) -> str:
    return read.optional_data if field.startswith("optional") else getattr(read, field)


@FUZZ
@given(st.text(ALNUM + "<\n «.", max_size=120))
def test_any_text_is_answered_with_a_result_never_an_exception(text):
    read = parse_mrz(text, TODAY)
    assert read.valid or read.problem is not None


@FUZZ
@given(st.text(max_size=40), st.lists(st.text(ALNUM + " ,", max_size=12), max_size=8))
def test_any_barcode_text_with_a_licence_header_is_answered_never_an_exception(head, elements):
    text = f"@\n\x1e\rANSI 636000090001DL00410278{head}DL" + "\n".join(
        f"D{element}" for element in elements
    )
    read = parse_aamva(text)
    assert read.valid or read.problem is not None
