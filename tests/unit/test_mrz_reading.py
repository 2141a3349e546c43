"""Reading a zone from OCR text: finding it, refusing what is not one, OCR slips, the century."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gangway.domain.codes.documents.fields import check_digit
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.domain.codes.documents.mrz_make import make_mrz
from gangway.domain.scan.reasons import label
from tests.unit.test_mrz import TD1, TD3, TODAY, _document

TD3_TEXT = "\n".join(TD3)


@pytest.mark.parametrize(
    "text",
    [
        f"PASSPORT  PASSEPORT  UTOPIA\nSurname / Nom ERIKSSON\n\n{TD3_TEXT}\n",  # the page above
        f"  {TD3[0][:20]} {TD3[0][20:]}  \n{TD3[1]}",  # spaces the OCR put in a line
        TD3_TEXT.lower(),
        TD3[0] + TD3[1],  # a reader that sends the zone as one line
        "\r\n".join(TD3),
    ],
)
def test_the_zone_is_found_in_what_the_ocr_read_around_it(text):
    read = parse_mrz(text, TODAY)
    assert (read.valid, read.format, read.mrz) == (True, "TD3", TD3)


def test_lines_may_come_as_a_sequence():
    assert parse_mrz(list(TD1), TODAY).format == "TD1"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "mrz_not_found"),
        ("REPUBLIC OF UTOPIA\nIDENTITY CARD", "mrz_not_found"),
        (f"{TD3[0]}\n{TD3[1][:-1]}", "mrz_bad_length"),  # a character lost at the end
        (f"{TD3[0]}<\n{TD3[1]}<", "mrz_bad_length"),  # 45 and 45
        (f"{TD1[0]}\n{TD1[1]}", "mrz_bad_length"),  # the name line of a card not read
        (TD3_TEXT.replace("ZE184", "ZE1«4"), "mrz_bad_character"),
        (TD3_TEXT.replace("ERIKSSON", "ERIK.SON"), "mrz_bad_character"),
    ],
)
def test_what_is_not_a_whole_zone_is_refused_with_a_reason_and_no_fields(text, code):
    read = parse_mrz(text, TODAY)
    assert (read.valid, read.problem.code, read.document_number, read.format) == (
        False,
        code,
        "",
        "",
    )
    assert read.problem.message.endswith("check the document by hand.")
    assert "_" not in label(code)  # the watch reads words, never the code
    assert bool(read.mrz) is (code != "mrz_not_found")  # the lines as read, to show or log


def _with(lines: tuple[str, str], start: int, text: str) -> tuple[str, str]:
    """Return a TD3 zone with line 2 overwritten at `start` and its composite recomputed."""
    line = TD3[1][:start] + text + TD3[1][start + len(text) :]
    body = line[:43]
    return lines[0], body[:43] + check_digit(body[0:10] + body[13:20] + body[21:43])


@pytest.mark.parametrize(
    ("field", "start", "why"),
    [
        ("birth", 13, "741312" + check_digit("741312")),  # month 13, every check digit right
        ("expiry", 21, "120431" + check_digit("120431")),  # 31 April
        ("birth", 13, "74<812" + check_digit("74<812")),  # a lone filler: a misread 0
        ("expiry", 21, "1204<<" + check_digit("1204<<")),  # only a birth date may be partial
    ],
)
def test_a_date_that_does_not_exist_is_refused_even_with_its_check_digits_right(field, start, why):
    read = parse_mrz(_with(TD3, start, why), TODAY)
    assert all(c.valid for c in read.check_digits)
    assert (read.valid, read.problem.code) == (False, "mrz_bad_date")
    assert field in read.problem.message


@pytest.mark.parametrize(("sex", "valid"), [("M", True), ("X", True), ("<", True), ("Q", False)])
def test_the_sex_field_holds_m_f_x_or_a_filler(sex, valid):
    read = parse_mrz(_with(TD3, 20, sex), TODAY)
    assert read.valid is valid
    assert read.sex == ("X" if sex == "<" else sex if valid else "")


def test_a_letter_the_ocr_read_for_a_digit_in_a_date_is_taken_as_that_digit():
    line = TD3[1][:13] + "74O8I2" + TD3[1][19:]  # O for 0, I for 1
    read = parse_mrz((TD3[0], line), TODAY)
    assert (read.valid, read.birth_date) == (True, date(1974, 8, 12))
    assert "mrz_ocr_corrected" in {c.code for c in read.cautions}
    assert read.mrz[1] == line  # the zone as read is kept


def test_a_letter_for_a_digit_in_a_document_number_is_never_guessed():
    line = "L898902C3" + TD3[1][9:]  # unchanged, then the number read with O for 0
    read = parse_mrz((TD3[0], line.replace("L898902", "L898O02")), TODAY)
    assert read.document_number == "L898O02C3"
    assert not read.valid  # letters are allowed in the number: its check digit decides


@pytest.mark.parametrize(
    ("yymmdd", "born"),
    [
        ("740812", date(1974, 8, 12)),
        ("261207", date(2026, 12, 7)),  # born today
        ("261208", date(1926, 12, 8)),  # tomorrow a century ago: no one is born in the future
        ("000229", date(2000, 2, 29)),
    ],
)
def test_a_birth_date_is_the_latest_not_after_today(yymmdd, born):
    zone = _with(TD3, 13, yymmdd + check_digit(yymmdd))
    assert parse_mrz(zone, TODAY).birth_date == born


@pytest.mark.parametrize(
    ("yymmdd", "expires"),
    [
        ("120415", date(2012, 4, 15)),  # expired
        ("361231", date(2036, 12, 31)),  # a ten-year document
        ("961210", date(1996, 12, 10)),  # the MRV specimen's, long expired
        ("760101", date(2076, 1, 1)),  # 50 years ahead at most
        ("770101", date(1977, 1, 1)),
    ],
)
def test_an_expiry_date_lies_within_fifty_years_of_today(yymmdd, expires):
    zone = _with(TD3, 21, yymmdd + check_digit(yymmdd))
    assert parse_mrz(zone, TODAY).expiry_date == expires


def test_a_document_without_expiry_or_a_full_birth_date_reads_valid_with_a_caution():
    lines = make_mrz(replace(_document(format="TD1", document_type="ID"), expiry_date=None))
    birth = "80<<<<"
    lines = (lines[0], birth + check_digit(birth) + lines[1][7:29] + "<", lines[2])
    lines = (lines[0], lines[1][:29] + _td1_composite(lines), lines[2])
    read = parse_mrz(lines, TODAY)
    assert (read.valid, read.birth_date, read.expiry_date) == (True, None, None)
    assert "mrz_birth_date_unknown" in {c.code for c in read.cautions}


def _td1_composite(lines) -> str:
    return check_digit(lines[0][5:30] + lines[1][0:7] + lines[1][8:15] + lines[1][18:29])


def test_the_api_shape_holds_every_field_in_json_form():
    shown = parse_mrz(TD3_TEXT, TODAY).as_json()
    assert shown["birth_date"] == "1974-08-12"
    assert shown["check_digits"][0] == {"name": "document_number", "valid": True}
    assert (shown["valid"], shown["reason"], shown["mrz"]) == (True, None, list(TD3))
    unread = parse_mrz("", TODAY).as_json()
    assert (unread["valid"], unread["reason"], unread["birth_date"]) == (
        False,
        "mrz_not_found",
        None,
    )


def test_a_filler_read_as_k_passes_every_check_digit_so_the_ocr_must_tell_them_apart():
    # 9303's 7-3-1 weights see "<" (0) and K (20) alike: the zone reads valid with the K shown.
    lines = make_mrz(_document(document_number="X1234567"))
    misread = (lines[0], lines[1][:8] + "K" + lines[1][9:])
    read = parse_mrz(misread, TODAY)
    assert (read.valid, read.document_number) == (True, "X1234567K")
