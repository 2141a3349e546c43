"""ICAO 9303 zones: the specimens of parts 4 to 7, wrong check digits, codes, names, numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.fields import check_digit
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.domain.codes.documents.mrz_make import make_mrz

TODAY = date(2026, 12, 7)
# The specimens ICAO Doc 9303 prints for Utopia (UTO, a code no state holds).
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
MRVA = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
)
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<")
# Germany's specimens (Erika Mustermann): the state written D, no sex on the identity card.
DE_ID = (
    "IDD<<T220001293<<<<<<<<<<<<<<<",
    "6408125<2010315D<<<<<<<<<<<<<4",
    "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
)
DE_PASSPORT = (
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
    "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
)
ANNA = {"family_name": "ERIKSSON", "given_names": "ANNA MARIA", "sex": "F"}


def _read(lines) -> IdentityDocument:
    return parse_mrz("\n".join(lines), TODAY)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (TD3, {"format": "TD3", "document_type": "P", "document_number": "L898902C3",
               "nationality": "UTO", "birth_date": date(1974, 8, 12),
               "expiry_date": date(2012, 4, 15), "optional_data": "ZE184226B", **ANNA}),
        (TD1, {"format": "TD1", "document_type": "I", "document_number": "D23145890",
               "birth_date": date(1974, 8, 12), "expiry_date": date(2012, 4, 15), **ANNA}),
        (TD2, {"format": "TD2", "document_type": "I", "document_number": "D23145890", **ANNA}),
        (MRVA, {"format": "MRVA", "document_type": "V", "document_number": "L8988901C",
                "nationality": "XXX", "birth_date": date(1940, 9, 7),
                "expiry_date": date(1996, 12, 10), "optional_data": "6ZE184226B", **ANNA}),
        (MRVB, {"format": "MRVB", "document_number": "L8988901C", "optional_data": "", **ANNA}),
        (DE_ID, {"format": "TD1", "document_type": "ID", "issuing_state": "DEU",
                 "nationality": "DEU", "document_number": "T22000129", "sex": "X",
                 "family_name": "MUSTERMANN", "given_names": "ERIKA",
                 "expiry_date": date(2020, 10, 31)}),
        (DE_PASSPORT, {"format": "TD3", "issuing_state": "DEU", "nationality": "DEU",
                       "document_number": "C01X00T47", "birth_date": date(1964, 8, 12),
                       "expiry_date": date(2027, 2, 28)}),
    ],
    ids=["TD3", "TD1", "TD2", "MRVA", "MRVB", "DE_ID", "DE_PASSPORT"],
)  # fmt: skip
def test_the_specimen_of_each_format_reads_valid_with_its_fields(lines, expected):
    read = _read(lines)
    assert read.valid, read.problem
    assert {name: getattr(read, name) for name in expected} == expected
    assert read.mrz == lines
    assert all(check.valid for check in read.check_digits)


@pytest.mark.parametrize(
    ("lines", "checks"),
    [
        (TD3, ["document_number", "birth_date", "expiry_date", "optional_data", "composite"]),
        (TD1, ["document_number", "birth_date", "expiry_date", "composite"]),
        (TD2, ["document_number", "birth_date", "expiry_date", "composite"]),
        (MRVA, ["document_number", "birth_date", "expiry_date"]),
        (MRVB, ["document_number", "birth_date", "expiry_date"]),
    ],
)
def test_each_format_has_its_check_digits(lines, checks):
    assert [check.name for check in _read(lines).check_digits] == checks


@pytest.mark.parametrize(
    ("line", "position", "field"),
    [
        (1, 9, "document_number"),
        (1, 19, "birth_date"),
        (1, 27, "expiry_date"),
        (1, 42, "optional_data"),
        (1, 43, "composite"),
    ],
)
def test_a_passport_with_a_wrong_check_digit_is_read_but_never_valid(line, position, field):
    lines = list(TD3)
    wrong = str((int(lines[line][position]) + 1) % 10)
    lines[line] = lines[line][:position] + wrong + lines[line][position + 1 :]
    read = _read(lines)
    assert not read.valid
    assert read.problem.code == "mrz_check_digit"
    # The composite covers every check digit but its own: it fails beside the field's.
    assert {c.name for c in read.check_digits if not c.valid} == {field, "composite"}
    assert read.document_number == "L898902C3"  # what the zone says is still shown to the watch


@pytest.mark.parametrize(
    ("lines", "line", "position", "field"),
    [
        (TD1, 0, 14, "document_number"),
        (TD1, 1, 6, "birth_date"),
        (TD1, 1, 14, "expiry_date"),
        (TD1, 1, 29, "composite"),
        (TD2, 1, 9, "document_number"),
        (TD2, 1, 35, "composite"),
        (MRVB, 1, 27, "expiry_date"),
    ],
)
def test_a_card_or_visa_with_a_wrong_check_digit_names_the_field(lines, line, position, field):
    lines = list(lines)
    lines[line] = lines[line][:position] + "0" + lines[line][position + 1 :]
    read = _read(lines)
    assert read.problem.code == "mrz_check_digit"
    failed = {c.name for c in read.check_digits if not c.valid}
    assert failed == ({field, "composite"} if len(lines) == 3 or lines[0][0] != "V" else {field})
    assert "by hand" in read.problem.message


def test_an_altered_number_with_its_check_digit_recomputed_is_caught_by_the_composite():
    number = "L898902C4"
    line = number + check_digit(number) + TD3[1][10:]
    read = _read((TD3[0], line))
    assert [c.name for c in read.check_digits if not c.valid] == ["composite"]
    assert not read.valid


ICAO_CODES = ["GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX",
              "EUE", "XOM", "XPO", "XCE", "XDC"]  # fmt: skip


@pytest.mark.parametrize("code", ICAO_CODES)
def test_icao_codes_that_iso_lacks_read_as_printed_without_a_caution(code):
    lines = (TD3[0][:2] + code + TD3[0][5:], TD3[1][:10] + code + TD3[1][13:])
    read = _read(lines)
    assert (read.issuing_state, read.nationality, read.cautions) == (code, code, ())


def test_a_code_no_state_holds_is_read_as_printed_with_a_caution():
    read = _read(TD3)
    assert read.valid  # the nationality is outside every check digit: the watch is told to look
    assert [c.code for c in read.cautions] == ["mrz_unknown_country"]


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("ERIKSSON<<ANNA<MARIA", "ERIKSSON", "ANNA MARIA"),
        ("VAN<DER<BERG<<JAN<<<", "VAN DER BERG", "JAN"),  # "<" inside a family name
        ("SINGH", "SINGH", ""),  # one name only: the primary identifier
        ("MUELLER<LUEDENSCHEIDT<<HANS<JUERGEN", "MUELLER LUEDENSCHEIDT", "HANS JUERGEN"),
    ],
)
def test_names_split_at_the_double_filler_with_single_fillers_read_as_spaces(name, family, given):
    line = ("P<NOR" + name).ljust(44, "<")
    read = _read((line, TD3[1]))
    assert (read.family_name, read.given_names) == (family, given)


def test_a_name_that_fills_its_field_carries_a_caution_that_it_may_be_cut():
    line = "P<NOR" + "WOLFESCHLEGELSTEINHAUSEN<<HUBERT<BLAINE<W"[:39]
    read = _read((line, TD3[1]))
    assert "mrz_name_truncated" in {c.code for c in read.cautions}


@pytest.mark.parametrize(
    ("family", "given", "printed"),
    [
        ("Müller", "Jürgen", "MUELLER<<JUERGEN"),
        ("Ødegård", "Åse", "OEDEGAARD<<AASE"),
        ("Straße-Groß", "Zoë", "STRASSE<GROSS<<ZOE"),
        ("O'Brien", "Seán", "OBRIEN<<SEAN"),
        ("Þórsdóttir", "Guðrún", "THORSDOTTIR<<GUDRUN"),
    ],
)
def test_the_generator_transliterates_names_as_9303_does_and_they_read_back_as_printed(
    family, given, printed
):
    document = _document(family_name=family, given_names=given)
    lines = make_mrz(document)
    assert lines[0][5:].rstrip("<") == printed
    read = parse_mrz(lines, TODAY)
    assert read.valid
    assert f"{read.family_name}<<{read.given_names}".replace(" ", "<") == printed


@pytest.mark.parametrize("format_", ["TD1", "TD2"])
def test_a_long_document_number_carries_into_the_optional_data_with_its_check_digit(format_):
    lines = make_mrz(_document(format=format_, document_type="I", document_number="D23145890734"))
    number_end = 14 if format_ == "TD1" else 9  # TD2's number is on line 2
    line = lines[0] if format_ == "TD1" else lines[1]
    assert line[number_end - 9 : number_end + 1] == "D23145890<"
    read = parse_mrz(lines, TODAY)
    assert (read.valid, read.document_number, read.optional_data) == (True, "D23145890734", "")


def test_a_long_number_read_wrong_in_its_overflow_fails_the_number_check_digit():
    lines = list(
        make_mrz(_document(format="TD1", document_type="I", document_number="D2314589073"))
    )
    lines[0] = lines[0][:15] + "8" + lines[0][16:]  # the 10th character, carried over
    read = _read(lines)
    assert not read.valid
    assert {c.name for c in read.check_digits if not c.valid} >= {"document_number"}


def test_td1_keeps_both_optional_data_fields():
    lines = make_mrz(_document(format="TD1", document_type="ID", optional_data="AB12 CD34"))
    assert lines[0][15:19] == "AB12"
    assert lines[1][18:22] == "CD34"
    assert _read(lines).optional_data == "AB12 CD34"


def _document(**fields) -> IdentityDocument:
    base = IdentityDocument(
        format="TD3",
        document_type="P",
        issuing_state="NOR",
        document_number="NX1234567",
        family_name="HANSEN",
        given_names="KARI",
        nationality="NOR",
        birth_date=date(1980, 2, 29),
        sex="F",
        expiry_date=date(2031, 5, 17),
    )
    return replace(base, **fields)
