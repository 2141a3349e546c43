"""Crew and passenger lists as Excel workbooks: read as a CSV file is, by sheet, line and column."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from gangway.domain.lists import crew_lists
from gangway.domain.lists.crew_lists import parse_list, spec_for
from gangway.services.lists import workbooks as list_workbooks
from gangway.services.lists.workbooks import check_workbook, export_workbook, parse_workbook

CREW_HEADER = list(spec_for("crew").header)
# As Excel keeps them: date cells, a document number typed as a number (int, or float from
# a formula-free sum), a text date as the CSV path takes it.
HANSEN = ["Hansen", "Erik", "Master", "NOR", datetime(1970, 1, 2), "Bergen", "M", "Passport"]
HANSEN += [123456, "NOR", date(2030, 5, 31)]
SANTOS = ["Santos", "Maria Luisa", "AB", "PH", "1988-11-30", "Cebu", "F", "Seafarer ID"]
SANTOS += [998877.0, "Philippines", None]
CSV_TWIN = (
    ",".join(CREW_HEADER) + "\r\n"
    "Hansen,Erik,Master,NOR,1970-01-02,Bergen,M,Passport,123456,NOR,2030-05-31\r\n"
    "Santos,Maria Luisa,AB,PHL,1988-11-30,Cebu,F,Seafarer ID,998877,PHL,\r\n"
)


def workbook(sheets: dict[str, list[list]], extra: dict[str, bytes] | None = None) -> bytes:
    """Build an .xlsx with these sheets (name -> rows), plus extra zip members if given."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    if not extra:
        return out.getvalue()
    with zipfile.ZipFile(out, "a") as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def crew_workbook(*rows: list, first: str = "Crew") -> bytes:
    return workbook({first: [CREW_HEADER, *rows]})


def test_a_workbook_reads_as_its_csv_twin_from_the_first_sheet_with_the_header():
    data = workbook({"Notes": [["Vessel", "MV Example"]], "Crew": [CREW_HEADER, HANSEN, SANTOS]})
    # Some writers store a number typed as 998877 in exponent form (openpyxl reads a float).
    data = _rewritten(data, "xl/worksheets/sheet2.xml", b"<v>998877</v>", b"<v>9.98877E5</v>")
    parsed = parse_workbook("crew", data)
    assert parsed.problems == ()
    assert parsed.sheet == "Crew"
    assert parsed.rows == parse_list("crew", CSV_TWIN).rows
    assert [row.document_number for row in parsed.rows] == ["123456", "998877"]  # not 123456.0


def test_every_problem_names_the_sheet_line_and_cell():
    formula = [*HANSEN[:1], '=CONCAT("E","rik")', *HANSEN[2:]]
    timed = [*SANTOS[:4], datetime(1988, 11, 30, 14, 5), *SANTOS[5:]]
    parsed = parse_workbook("crew", crew_workbook(HANSEN, formula, timed))
    assert [(p.sheet, p.line, p.column) for p in parsed.problems] == [
        ("Crew", 3, "given_names"),
        ("Crew", 3, "document_number"),  # the same document as line 2
        ("Crew", 4, "date_of_birth"),
    ]
    assert "Cell B3 on sheet 'Crew' starts with '='" in parsed.problems[0].message
    assert "'1988-11-30 14:05:00' is not a date" in parsed.problems[2].message


def test_a_workbook_without_the_header_says_what_its_nearest_sheet_lacks():
    sheets = {"Notes": [["Vessel", "MV Example"]], "FAL5": [CREW_HEADER[:-1], HANSEN[:-1]]}
    parsed = parse_workbook("crew", workbook(sheets))
    assert [(p.sheet, p.line) for p in parsed.problems] == [(None, 0), ("FAL5", 1)]
    assert parsed.problems[0].message == "No sheet has the crew list's header in its first line."
    assert parsed.problems[1].message == "Missing columns: document_expiry."


def test_more_rows_than_a_csv_may_hold_are_refused(monkeypatch):
    monkeypatch.setattr(crew_lists, "MAX_ROWS", 2)  # the CSV's limit, small enough to be quick
    rows = [[*HANSEN[:8], f"X{n}", *HANSEN[9:]] for n in range(3)]
    problems = parse_workbook("crew", crew_workbook(*rows)).problems
    assert [(p.sheet, p.line, p.message) for p in problems] == [
        ("Crew", 4, "More than 2 rows: split the list.")
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/vbaProject.bin": b"\x00" * 64},
        {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"},
    ],
    ids=["vba-project", "excel-4-macro-sheet"],
)
def test_a_workbook_with_macros_is_refused(extra):
    data = workbook({"Crew": [CREW_HEADER, HANSEN]}, extra)
    assert [p.message for p in check_workbook(data)] == [
        "The workbook holds macros, which are never taken: save it as an Excel workbook"
        " (.xlsx) or as 'CSV UTF-8'."
    ]


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was given the bomb")

    monkeypatch.setattr(list_workbooks, "load_workbook", never)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (6 * 1024 * 1024))  # 36 MB
    assert len(bomb.getvalue()) < 200_000
    parsed = parse_workbook("crew", bomb.getvalue())
    assert [p.message for p in parsed.problems] == [
        "The workbook unpacks to more than 32 MB: split the list."
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04 not really a zip", "The workbook cannot be opened (a damaged zip)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "an old .xls workbook"),
    ],
    ids=["damaged", "xls-or-password"],
)
def test_a_workbook_that_cannot_be_read_says_so(data, says):
    problems = parse_workbook("crew", data).problems
    assert len(problems) == 1
    assert says in problems[0].message


def test_the_exported_workbook_reads_back_as_the_same_rows_and_runs_no_formula():
    rows = parse_list("crew", CSV_TWIN).rows
    risky = rows[0].__class__(**{**_fields(rows[0]), "place_of_birth": "=HYPERLINK(1)"})
    data = export_workbook("crew", [*rows, risky])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # written as text, never as a formula
    assert "=HYPERLINK(1)" in sheet
    reread = parse_workbook("crew", export_workbook("crew", rows))
    assert (reread.problems, reread.rows) == ((), rows)


def _rewritten(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """Return the workbook with one zip member's bytes replaced (as another writer stores it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == member:
                assert old in body
                body = body.replace(old, new)
            target.writestr(info, body)
    return out.getvalue()


def _fields(row) -> dict:
    return {name: getattr(row, name) for name in CREW_HEADER}
