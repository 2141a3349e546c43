"""Crew (FAL Form 5) and passenger (FAL Form 6) lists: parsing, every problem, export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gangway.domain.lists.crew_lists import (
    CREW,
    MAX_ROWS,
    PASSENGERS,
    CrewRow,
    Problem,
    export_csv,
    normalise_document_number,
    parse_list,
    template_csv,
)

CREW_HEADER = (
    "family_name,given_names,rank_or_rating,nationality,date_of_birth,place_of_birth,gender,"
    "document_type,document_number,document_issuing_state,document_expiry"
)
PAX_HEADER = (
    "family_name,given_names,nationality,date_of_birth,place_of_birth,gender,document_type,"
    "document_number,document_issuing_state,document_expiry,port_of_embarkation,"
    "port_of_disembarkation,booking_reference,ticket_number,cabin"
)
HANSEN = "Hansen,Erik,Master,NOR,1970-01-02,Bergen,M,Passport,NO 123-456,NOR,2030-05-31"
SANTOS = "Santos,Maria Luisa,AB,phl,1988-11-30,Cebu,F,Seafarer ID,PH998877,PHL,"
SHEVCHENKO = "Шевченко,Тарас,Bosun,UKR,1979-03-09,Київ,M,Passport,FA123456,UKR,2029-01-01"
CREW_FILE = "\r\n".join([CREW_HEADER, HANSEN, SANTOS, SHEVCHENKO]) + "\r\n"
MUELLER = (
    "Müller,Jürgen,DEU,1955-07-14,Köln,M,Passport,C01X00T47,DEU,2031-02-01,NLRTM,NOOSL,ABC123,,7012"
)
WANG = "王,小明,CHN,1990-01-01,,M,Passport,E12345678,CHN,,NLRTM,,,7812345678901,8120"
PAX_FILE = "\n".join([PAX_HEADER, MUELLER, WANG]) + "\n"
TODAY = date(2026, 6, 1)


def crew(*lines: str, header: str = CREW_HEADER) -> str:
    return "\r\n".join([header, *lines]) + "\r\n"


def passengers(*lines: str) -> str:
    return "\r\n".join([PAX_HEADER, *lines]) + "\r\n"


def test_a_good_crew_list_reads_into_typed_rows_without_problems():
    parsed = parse_list(CREW, CREW_FILE, today=TODAY)
    assert parsed.problems == ()
    assert parsed.warnings == ()
    first, santos, shevchenko = parsed.rows
    assert first == CrewRow(
        family_name="Hansen",
        given_names="Erik",
        rank_or_rating="Master",
        nationality="NOR",
        date_of_birth=date(1970, 1, 2),
        place_of_birth="Bergen",
        gender="M",
        document_type="Passport",
        document_number="NO 123-456",
        document_issuing_state="NOR",
        document_expiry=date(2030, 5, 31),
        line=2,
    )
    assert (santos.nationality, santos.document_expiry, santos.line) == ("PHL", None, 3)
    assert (shevchenko.family_name, shevchenko.place_of_birth) == ("Шевченко", "Київ")


def test_a_good_passenger_list_keeps_the_ports_and_the_booking():
    parsed = parse_list(PASSENGERS, PAX_FILE, today=TODAY)
    assert parsed.problems == ()
    mueller, wang = parsed.rows
    assert (mueller.family_name, mueller.booking_reference, mueller.ticket_number) == (
        "Müller",
        "ABC123",
        None,
    )
    assert (mueller.port_of_embarkation, mueller.port_of_disembarkation) == ("NLRTM", "NOOSL")
    assert (wang.family_name, wang.given_names, wang.ticket_number) == (
        "王",
        "小明",
        "7812345678901",
    )
    assert wang.date_of_birth == date(1990, 1, 1)


def test_semicolon_delimited_list_from_a_european_spreadsheet_is_read():
    text = CREW_FILE.replace(",", ";")
    assert parse_list(CREW, text).rows == parse_list(CREW, CREW_FILE).rows


@pytest.mark.parametrize(
    "text",
    [("\ufeff" + CREW_FILE), ("\ufeff" + CREW_FILE).encode(), CREW_FILE.encode("utf-8")],
    ids=["str-bom", "bytes-bom", "bytes"],
)
def test_utf8_with_or_without_bom_is_read(text):
    parsed = parse_list(CREW, text)
    assert parsed.problems == ()
    assert [r.family_name for r in parsed.rows] == ["Hansen", "Santos", "Шевченко"]


def test_header_names_are_trimmed_and_case_insensitive_and_may_come_in_any_order():
    header = " FAMILY_NAME , Given_Names," + CREW_HEADER.split(",", 2)[2]
    assert parse_list(CREW, crew(HANSEN, header=header)).problems == ()
    names = CREW_HEADER.split(",")
    swapped = ",".join([names[1], names[0], *names[2:]])
    row = parse_list(CREW, crew("Erik,Hansen" + HANSEN.split("Erik", 1)[1], header=swapped))
    assert row.rows[0].family_name == "Hansen"


def test_blank_given_names_are_empty_text_and_blank_lines_are_skipped_but_counted():
    text = crew("", HANSEN.replace("Erik", ""), ",,,,,,,,,,")
    parsed = parse_list(CREW, text)
    assert parsed.problems == ()
    assert (parsed.rows[0].given_names, parsed.rows[0].line) == ("", 3)


def test_expired_document_is_a_warning_not_a_problem():
    expired = HANSEN.replace("2030-05-31", "2026-05-31")
    parsed = parse_list(CREW, crew(expired, SANTOS), today=TODAY)
    assert parsed.problems == ()
    assert parsed.warnings == (Problem(2, "document_expiry", "Document expired on 2026-05-31."),)
    assert parse_list(CREW, crew(expired)).warnings == ()  # no today, no clock: no warning


def _cells(line: str, **changes: str) -> str:
    """Return a crew line with some cells replaced, by column name."""
    names = CREW_HEADER.split(",")
    cells = dict(zip(names, line.split(","), strict=True))
    return ",".join({**cells, **changes}.values())


NOT_A_DATE = "is not a date: write it as YYYY-MM-DD (ISO 8601), e.g. 1984-03-25."
RUNS = "which a spreadsheet runs as a formula."
NOT_A_COUNTRY = "is not a country: write an ISO 3166 code (NO or NOR) or the English name (Norway)."
BAD_FILES = {
    "missing and unknown columns": (
        CREW,
        crew(
            _cells(HANSEN, document_expiry="42"),
            header=CREW_HEADER.replace("document_expiry", "shoe_size"),
        ),
        [
            Problem(1, None, "Missing columns: document_expiry."),
            Problem(1, None, "Unknown columns: shoe_size."),
        ],
    ),
    "two missing columns": (
        CREW,
        crew(
            HANSEN.replace(",Master", "").replace(",M,", ","),
            header=CREW_HEADER.replace(",rank_or_rating", "").replace(",gender", ""),
        ),
        [Problem(1, None, "Missing columns: rank_or_rating, gender.")],
    ),
    "a column given twice": (
        CREW,
        crew(HANSEN + ",Erik", header=CREW_HEADER + ",given_names"),
        [Problem(1, None, "Columns twice: given_names.")],
    ),
    "wrong number of cells": (
        CREW,
        crew(HANSEN, SANTOS.rsplit(",", 1)[0], HANSEN.replace("NO 123", "X1") + ",extra"),
        [
            Problem(3, None, "Expected 11 cells, one per column, found 10."),
            Problem(4, None, "Expected 11 cells, one per column, found 12."),
        ],
    ),
    "empty required crew fields": (
        CREW,
        crew(
            _cells(
                HANSEN,
                family_name=" ",
                nationality="",
                date_of_birth="",
                document_type="",
                document_number="",
            )
        ),
        [
            Problem(2, "family_name", "Required: family_name is empty."),
            Problem(2, "nationality", "Required: nationality is empty."),
            Problem(2, "date_of_birth", "Required: date_of_birth is empty."),
            Problem(2, "document_type", "Required: document_type is empty."),
            Problem(2, "document_number", "Required: document_number is empty."),
        ],
    ),
    "empty required passenger fields": (
        PASSENGERS,
        passengers(
            MUELLER.replace("Müller", "").replace("C01X00T47", ""),
            WANG.replace("7812345678901", ""),
        ),
        [
            Problem(2, "family_name", "Required: family_name is empty."),
            Problem(2, "document_number", "Required: document_number is empty."),
            Problem(
                3,
                "booking_reference",
                "Give a booking_reference or a ticket_number: both are empty.",
            ),
        ],
    ),
    "bad dates": (
        CREW,
        crew(
            _cells(HANSEN, date_of_birth="02/01/1970"),
            _cells(SANTOS, date_of_birth="1988-02-30", document_number="P2"),
            _cells(SHEVCHENKO, document_expiry="20290101"),
        ),
        [
            Problem(2, "date_of_birth", f"'02/01/1970' {NOT_A_DATE}"),
            Problem(3, "date_of_birth", f"'1988-02-30' {NOT_A_DATE}"),
            Problem(4, "document_expiry", f"'20290101' {NOT_A_DATE}"),
        ],
    ),
    "no country by that code or name": (
        CREW,
        crew(_cells(HANSEN, nationality="Norwegia", document_issuing_state="QQ")),
        [
            Problem(2, "nationality", f"'Norwegia' {NOT_A_COUNTRY}"),
            Problem(2, "document_issuing_state", f"'QQ' {NOT_A_COUNTRY}"),
        ],
    ),
    "duplicate document number, written differently": (
        CREW,
        crew(HANSEN, SANTOS, _cells(SHEVCHENKO, document_number="no123 456")),
        [
            Problem(
                4, "document_number", "Document number on lines 2 and 4: one document, two people."
            )
        ],
    ),
    "spreadsheet formulas": (
        CREW,
        crew(
            _cells(HANSEN, family_name='"=HYPERLINK(""http://x"",""y"")"'),
            _cells(SANTOS, given_names="+1", rank_or_rating="-AB", place_of_birth="@SUM(A1)"),
            _cells(SHEVCHENKO, gender='"\tM"', document_type='" =1+1"', family_name='"\rX"'),
        ),
        [
            Problem(2, "family_name", f"Cell A2 starts with '=', {RUNS}"),
            Problem(3, "given_names", f"Cell B3 starts with '+', {RUNS}"),
            Problem(3, "rank_or_rating", f"Cell C3 starts with '-', {RUNS}"),
            Problem(3, "place_of_birth", f"Cell F3 starts with '@', {RUNS}"),
            Problem(4, "family_name", f"Cell A4 starts with a carriage return, {RUNS}"),
            Problem(4, "gender", f"Cell G4 starts with a tab, {RUNS}"),
            Problem(4, "document_type", f"Cell H4 starts with '=', {RUNS}"),
        ],
    ),
    "formula in a line with the wrong number of cells": (
        CREW,
        crew('=HYPERLINK("http://x","y"),' + HANSEN.split(",", 1)[1]),
        [
            Problem(2, None, "Expected 11 cells, one per column, found 12."),
            Problem(2, None, f"Cell A2 starts with '=', {RUNS}"),
        ],
    ),
    "control characters, and a line break inside a quoted cell": (
        CREW,
        crew(
            _cells(HANSEN, family_name="Han\x07sen"),
            _cells(SANTOS, given_names='"Maria\nLuisa"'),
            _cells(SHEVCHENKO, date_of_birth="x"),
        ),
        [
            Problem(2, "family_name", "Cell A2 contains a control character (U+0007)."),
            Problem(3, "given_names", "Cell B3 contains a control character (U+000A)."),
            Problem(4, "date_of_birth", f"'x' {NOT_A_DATE}"),
        ],
    ),
    "cells longer than the database columns": (
        CREW,
        crew(
            _cells(
                HANSEN, family_name="H" * 121, rank_or_rating="R" * 65, gender="non-binary person"
            )
        ),
        [
            Problem(2, "family_name", "Too long: 121 characters, at most 120."),
            Problem(2, "rank_or_rating", "Too long: 65 characters, at most 64."),
            Problem(2, "gender", "Too long: 17 characters, at most 16."),
        ],
    ),
    "passenger booking reference too long": (
        PASSENGERS,
        passengers(MUELLER.replace("ABC123", "B" * 17)),
        [Problem(2, "booking_reference", "Too long: 17 characters, at most 16.")],
    ),
    "empty file": (CREW, "", [Problem(1, None, "The file is empty: no header.")]),
    "header only": (
        CREW,
        crew(),
        [Problem(2, None, "No rows under the header: nothing to import.")],
    ),
    "not UTF-8": (
        CREW,
        crew(HANSEN, SANTOS.replace("Santos", "Müller")).encode("cp1252"),
        [Problem(3, None, "The file is not UTF-8: save it as 'CSV UTF-8'.")],
    ),
    "a workbook, not CSV": (
        CREW,
        b"PK\x03\x04\x14\x00\x06\x00",
        [Problem(0, None, "This is a spreadsheet workbook: save it as 'CSV UTF-8'.")],
    ),
}


@pytest.mark.parametrize(("kind", "text", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_each_kind_of_bad_file_gives_exactly_its_problems(kind, text, expected):
    parsed = parse_list(kind, text, today=TODAY)
    assert list(parsed.problems) == expected
    assert parsed.has_problems


def test_every_problem_in_a_file_is_reported_not_just_the_first():
    text = crew(
        _cells(HANSEN, nationality="Norwegia"),
        SANTOS.rsplit(",", 1)[0],
        _cells(SHEVCHENKO, family_name="=1", document_expiry="soon"),
    )
    problems = parse_list(CREW, text).problems
    assert [(p.line, p.column) for p in problems] == [
        (2, "nationality"),
        (3, None),
        (4, "family_name"),
        (4, "document_expiry"),
    ]


def test_more_than_five_thousand_rows_is_refused():
    lines = [_cells(HANSEN, document_number=f"P{n}") for n in range(MAX_ROWS + 1)]
    problems = parse_list(CREW, crew(*lines)).problems
    assert problems == (Problem(MAX_ROWS + 2, None, "More than 5,000 rows: split the list."),)
    assert parse_list(CREW, crew(*lines[:MAX_ROWS])).problems == ()


def test_template_is_the_header_row_only():
    assert template_csv(CREW) == CREW_HEADER + "\r\n"
    assert template_csv(PASSENGERS) == PAX_HEADER + "\r\n"


def test_unknown_kind_of_list_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown kind"):
        parse_list("visitors", CREW_FILE)


@pytest.mark.parametrize(
    ("number", "normalised"),
    [("AB 123-456", "AB123456"), ("ab\u2010123", "AB123"), ("  x 1 ", "X1"), (None, "")],
)
def test_document_numbers_match_without_case_spaces_or_dashes(number, normalised):
    assert normalise_document_number(number) == normalised


def test_export_neutralises_cells_a_spreadsheet_would_run():
    row = parse_list(CREW, CREW_FILE).rows[0]
    risky = replace(
        row,
        family_name='=HYPERLINK("http://x","y")',
        given_names="+A",
        rank_or_rating="-B",
        place_of_birth="@C",
    )
    lines = export_csv(CREW, [risky]).split("\r\n")
    assert lines[0] == CREW_HEADER
    assert lines[1].startswith('"\'=HYPERLINK(""http://x"",""y"")",\'+A,\'-B,NOR,1970-01-02,\'@C,')


def test_names_in_any_script_round_trip_through_export_and_parse():
    names = [
        ("Шевченко", "Тарас"),
        ("王", "小明"),
        ("Ødegård", "Åse Bjørg"),
        ("N'Diaye", "Aïssatou"),
    ]
    rows = [
        replace(
            parse_list(CREW, CREW_FILE).rows[0],
            family_name=f,
            given_names=g,
            document_number=f"D{i}",
        )
        for i, (f, g) in enumerate(names)
    ]
    parsed = parse_list(CREW, export_csv(CREW, rows))
    assert parsed.problems == ()
    assert [replace(r, line=0) for r in parsed.rows] == [replace(r, line=0) for r in rows]


def test_exported_passenger_list_reads_back_the_same():
    rows = parse_list(PASSENGERS, PAX_FILE).rows
    again = parse_list(PASSENGERS, export_csv(PASSENGERS, rows)).rows
    assert again == rows
