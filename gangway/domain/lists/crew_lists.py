"""Crew and passenger lists as CSV or records: the layout, parsing every problem, and export.

Rule sources: ISPS Code B/9.11 (the ship's identification system: who may board), IMO FAL Form 5
(crew list) and FAL Form 6 (passenger list). The columns and cell rules are in `list_columns`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from gangway.domain.lists.list_columns import (
    CREW,
    KINDS,
    PASSENGERS,
    CrewRow,
    ListSpec,
    PassengerRow,
    Problem,
    cell_name,
    neutralise,
    read_cell,
    spec_for,
    unsafe_cell,
)
from gangway.domain.scan.identity import normalise_document_number

__all__ = [
    "CREW",
    "KINDS",
    "MAX_ROWS",
    "PASSENGERS",
    "CrewRow",
    "ParsedList",
    "PassengerRow",
    "Problem",
    "export_csv",
    "is_list_header",
    "normalise_document_number",
    "parse_list",
    "parse_records",
    "spec_for",
    "template_csv",
]

MAX_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class ParsedList:
    """The rows read from a list, every problem found, and warnings that do not block."""

    kind: str
    text: str  # the decoded CSV, as a confirm form posts it back
    rows: tuple[CrewRow | PassengerRow, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    sheet: str | None = None  # the workbook sheet read (None for a CSV file)

    @property
    def has_problems(self) -> bool:
        """Tell whether the list must be refused."""
        return bool(self.problems)


def parse_list(kind: str, text: str | bytes, *, today: date | None = None) -> ParsedList:
    """Read a list, finding every problem; with `today`, warn of expired documents."""
    text, problem = _decode(text)
    if problem:
        return ParsedList(kind, "", (), (problem,))
    return replace(parse_records(kind, _records(text), today=today), text=text)


def parse_records(
    kind: str, records: Iterable[list[str]], *, sheet: str | None = None, today: date | None = None
) -> ParsedList:
    """Read a list given as records of text cells (a CSV's, or a workbook sheet's) line by line.

    :param sheet: the workbook sheet the records are from: every problem names it.
    """
    spec, records = spec_for(kind), iter(records)
    header = [name.strip().lower() for name in next(records, [])]
    if not any(header):
        problems = [Problem(1, None, "The file is empty: no header.")]
        rows = []
    else:
        problems = _check_header(spec, header)
        rows = _read_rows(spec, header, records, problems, sheet)
    found = (
        tuple(replace(p, sheet=sheet) for p in ps) for ps in (problems, _warnings(rows, today))
    )
    return ParsedList(kind, "", tuple(rows), *found)


def is_list_header(kind: str, cells: Iterable[str]) -> bool:
    """Tell whether a first line is exactly a header of this kind of list (in any order)."""
    header = [str(name or "").strip().lower() for name in cells]
    while header and not header[-1]:
        header.pop()
    return bool(header) and not _check_header(spec_for(kind), header)


def template_csv(kind: str) -> str:
    """Return the header row of a kind of list, for filling in."""
    return ",".join(spec_for(kind).header) + "\r\n"


def export_csv(kind: str, rows: Iterable[CrewRow | PassengerRow]) -> str:
    """Write rows in the import layout, formulas neutralised so a spreadsheet shows them as text."""
    header = spec_for(kind).header
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(_text(getattr(row, name))) for name in header] for row in rows)
    return out.getvalue()


def _decode(text: str | bytes) -> tuple[str, Problem | None]:
    if isinstance(text, bytes):
        if text.startswith(b"PK\x03\x04"):  # a zip: .xlsx or .ods saved under a .csv name
            return "", Problem(0, None, "This is a spreadsheet workbook: save it as 'CSV UTF-8'.")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            return "", Problem(line, None, "The file is not UTF-8: save it as 'CSV UTF-8'.")
    return text.removeprefix("\ufeff"), None


def _records(text: str) -> Iterator[list[str]]:
    """Yield the records, one per spreadsheet line; the header decides ',' or ';'."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _check_header(spec: ListSpec, header: list[str]) -> list[Problem]:
    missing = [name for name in spec.header if name not in header]
    unknown = [name[:40] or "(empty)" for name in header if name not in spec.header]
    twice = sorted({name for name in header if name in spec.header and header.count(name) > 1})
    found = (("Missing columns", missing), ("Unknown columns", unknown), ("Columns twice", twice))
    return [Problem(1, None, f"{what}: {', '.join(names)}.") for what, names in found if names]


def _read_rows(
    spec: ListSpec,
    header: list[str],
    records: Iterator[list[str]],
    problems: list[Problem],
    sheet: str | None = None,
) -> list[CrewRow | PassengerRow]:
    """Read the data lines after the header, adding their problems; blank lines are skipped."""
    rows, seen, count, line = [], {}, 0, 1
    try:
        for line, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                problems.append(
                    Problem(line, None, f"More than {MAX_ROWS:,} rows: split the list.")
                )
                break
            values, found = _read_row(spec, header, line, cells, sheet)
            found += _check_duplicate(values, line, seen)
            problems += found
            if not found:
                rows.append(_build_row(spec, values, line))
    except csv.Error as exc:
        problems.append(Problem(line + 1, None, f"The CSV cannot be read here: {exc}."))
        return rows
    if not count:
        problems.append(Problem(2, None, "No rows under the header: nothing to import."))
    return rows


def _read_row(
    spec: ListSpec, header: list[str], line: int, cells: list[str], sheet: str | None
) -> tuple[dict, list[Problem]]:
    def where(index: int) -> str:  # "B4", or "B4 on sheet 'Crew'" in a workbook
        return cell_name(index, line) + (f" on sheet '{sheet}'" if sheet else "")

    if len(cells) != len(header):
        message = f"Expected {len(header)} cells, one per column, found {len(cells)}."
        unsafe = (unsafe_cell(raw, where(i)) for i, raw in enumerate(cells))
        return {}, [Problem(line, None, message)] + [Problem(line, None, m) for m in unsafe if m]
    values, problems = {}, []
    for index, (name, raw) in enumerate(zip(header, cells, strict=True)):
        column = spec.column(name)
        if column is None or name in values:
            continue  # unknown or repeated column: already reported with the header
        values[name], message = read_cell(column, raw, where(index))
        if message:
            problems.append(Problem(line, name, message))
    present = [name for name in spec.one_of if name in values]
    unread = any(p.column in spec.one_of for p in problems)
    if present and not unread and not any(values[name] for name in present):
        wanted = " or a ".join(spec.one_of)
        problems.append(Problem(line, spec.one_of[0], f"Give a {wanted}: both are empty."))
    return values, problems


def _check_duplicate(values: dict, line: int, seen: dict[str, int]) -> list[Problem]:
    number = normalise_document_number(values.get("document_number"))
    if not number:
        return []
    first = seen.setdefault(number, line)
    if first == line:
        return []
    message = f"Document number on lines {first} and {line}: one document, two people."
    return [Problem(line, "document_number", message)]


def _build_row(spec: ListSpec, values: dict, line: int) -> CrewRow | PassengerRow:
    given = values.get("given_names") or ""  # one-name persons: FAL forms leave it blank
    return spec.row_type(
        **{**dict.fromkeys(spec.header), **values, "given_names": given}, line=line
    )


def _warnings(rows: list, today: date | None) -> tuple[Problem, ...]:
    if today is None:
        return ()
    return tuple(
        Problem(row.line, "document_expiry", f"Document expired on {row.document_expiry}.")
        for row in rows
        if row.document_expiry and row.document_expiry < today
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
