"""Crew and passenger lists as Excel workbooks (.xlsx): read one into a list's records, write one.

Port single windows and agencies hand out .xlsx templates of FAL Forms 5 and 6. A workbook is a
zip of XML parts (ECMA-376, Office Open XML); it is read with openpyxl (values only: a formula is
never evaluated, it is refused like a CSV cell starting with "="), after the zip's own directory
has been checked: no macros, nothing that unpacks past MAX_UNPACKED (a zip bomb). The rows then
go through the same cell rules as a CSV file's (gangway.domain.lists.crew_lists.parse_records).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from gangway.domain.lists.crew_lists import (
    MAX_ROWS,
    CrewRow,
    ParsedList,
    PassengerRow,
    Problem,
    is_list_header,
    parse_records,
    spec_for,
)
from gangway.domain.lists.list_columns import is_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx with a password
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xls", ".xlsb")
# A 5,000-row FAL 6 sheet unpacks to about 5 MB of XML; a 2 MB upload that unpacks past this
# is built to exhaust the worker's memory, not to carry a list.
MAX_UNPACKED = 32 * 1024 * 1024
MAX_MEMBERS = 500
MAX_TYPES_BYTES = 256 * 1024  # [Content_Types].xml: about 2 KB in a real workbook
MAX_LINES = 4 * MAX_ROWS  # blank lines are skipped, but a sheet of a million of them is not read
# Parts and content types that carry macros (VBA projects, Excel 4 macro sheets) or that
# openpyxl cannot read (the binary .xlsb workbook).
_MACRO_MARKS = ("vbaproject", "macroenabled", "macrosheet", "ms-office.vba", "activex")
_SAVE_AS = "save it as an Excel workbook (.xlsx) or as 'CSV UTF-8'"


def is_workbook(data: bytes) -> bool:
    """Tell whether an upload is a workbook (a zip, or an old .xls), never a CSV file."""
    return data.startswith((ZIP_SIGNATURE, OLE_SIGNATURE))


def check_workbook(data: bytes) -> tuple[Problem, ...]:
    """Refuse what the zip's directory shows (quick, the upload's check): macros, a zip bomb."""
    if data.startswith(OLE_SIGNATURE):
        message = f"This is an old .xls workbook or one with a password: {_SAVE_AS}, no password."
        return (_whole(message),)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
                mb = MAX_UNPACKED // (1024 * 1024)
                return (_whole(f"The workbook unpacks to more than {mb} MB: split the list."),)
            names = {m.filename.lower() for m in members}
            types = ""
            if "[content_types].xml" in names:
                info = next(m for m in members if m.filename.lower() == "[content_types].xml")
                if info.file_size > MAX_TYPES_BYTES:  # read in the request: a few KB, or refused
                    return (_whole(f"The workbook's part list is damaged: {_SAVE_AS}."),)
                types = archive.read(info).decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError):
        return (_whole(f"The workbook cannot be opened (a damaged zip): {_SAVE_AS}."),)
    if any(mark in part for mark in _MACRO_MARKS for part in (types, *names)):
        return (_whole("The workbook holds macros, which are never taken: " + _SAVE_AS + "."),)
    if "xl/workbook.xml" not in names:
        return (_whole(f"This is not an Excel .xlsx workbook (.xlsb, .ods?): {_SAVE_AS}."),)
    return ()


def parse_workbook(kind: str, data: bytes, *, today: date | None = None) -> ParsedList:
    """Read the first sheet headed as this kind of list, finding every problem."""
    if problems := check_workbook(data):
        return ParsedList(kind, "", (), problems)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises a dozen types on a malformed part
        return ParsedList(kind, "", (), (_whole(f"The workbook cannot be read: {_SAVE_AS}."),))
    try:
        return _parse_sheets(kind, book.worksheets, today)
    except Exception:  # noqa: BLE001 - a bad part deep in a sheet shows only when it is read
        return ParsedList(kind, "", (), (_whole(f"The workbook cannot be read: {_SAVE_AS}."),))
    finally:
        book.close()


def export_workbook(kind: str, rows: Iterable[CrewRow | PassengerRow]) -> bytes:
    """Write rows in the import layout as an .xlsx workbook; every text cell stays text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Crew list" if kind == "crew" else "Passenger list")
    header = spec_for(kind).header
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, getattr(row, name)) for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parse_sheets(kind: str, sheets: list, today: date | None) -> ParsedList:
    """Parse the first sheet with the list's header, else say what the nearest one lacks."""
    firsts = []
    for sheet in sheets:
        sheet.reset_dimensions()  # a writer's stale dimension would cut rows off
        first = [_text(value) for value in next(sheet.iter_rows(max_row=1, values_only=True), ())]
        if is_list_header(kind, first):
            cut: list[Problem] = []
            parsed = parse_records(kind, _records(sheet, cut), sheet=sheet.title, today=today)
            return replace(parsed, problems=parsed.problems + tuple(cut), sheet=sheet.title)
        firsts.append((sheet.title, first))
    problem = _whole(f"No sheet has the {spec_for(kind).kind} list's header in its first line.")
    if not firsts:
        return ParsedList(kind, "", (), (problem,))
    known = set(spec_for(kind).header)
    title, first = max(firsts, key=lambda found: len(known & {c.strip().lower() for c in found[1]}))
    found = parse_records(kind, [first], sheet=title).problems  # the nearest sheet's header
    return ParsedList(kind, "", (), (problem, *(p for p in found if p.line == 1)))


def _records(sheet, cut: list[Problem]) -> Iterator[list[str]]:
    """Yield a sheet's lines as text cells, as wide as the header (trailing blanks dropped).

    Past MAX_LINES it stops, adding a problem to `cut`.
    """
    width = 0
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line > MAX_LINES:
            message = f"More than {MAX_LINES:,} lines, blank ones included: split the list."
            cut.append(Problem(line, None, message, sheet.title))
            return
        cells = [_text(value) for value in values]
        while len(cells) > width and not cells[-1].strip():
            cells.pop()  # Excel keeps formatted empty cells past the last column
        width = width or len(cells)
        yield cells + [""] * (width - len(cells))


def _text(value: object) -> str:
    """Return a cell's value as typed: 123456 not 123456.0, a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = getattr(value, "text", value)  # an array formula: its text, refused below
    return str(text)


def _cell(sheet, value: object) -> WriteOnlyCell | None:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if value is None:
        return None
    text = str(value)
    cell = WriteOnlyCell(sheet, text)
    if is_formula(text):
        cell.data_type = "s"  # openpyxl would write "=..." as a formula
        cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


def _whole(message: str) -> Problem:
    return Problem(0, None, message)
