"""The columns of crew and passenger lists, and the rules for reading one cell.

Rule sources: IMO FAL Form 5 (crew list) and Form 6 (passenger list) for the columns, sized to the
database; ISO 8601 for dates; ISO 3166-1 codes or English names for nationality and issuing state
(domain/countries.py); OWASP "CSV injection" for the cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from gangway.domain.lists.countries import read_country

# A spreadsheet runs a cell starting with these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS_SAID = {"\t": "a tab", "\r": "a carriage return"}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, unlike \d

TEXT, DATE, COUNTRY = "text", "date", "country"
CREW, PASSENGERS = "crew", "passengers"
KINDS = (CREW, PASSENGERS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a list: its header name, its size in the database and how it is read."""

    name: str
    max_length: int = 0  # text only: the model's column size
    required: bool = False
    kind: str = TEXT


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in the file, placed as a spreadsheet shows it (header = line 1).

    Line 0 means the file as a whole; `column` is None for a problem with a whole line;
    `sheet` names a workbook's sheet (None for a CSV file).
    """

    line: int
    column: str | None
    message: str
    sheet: str | None = None


@dataclass(frozen=True, slots=True)
class CrewRow:
    """One line of a crew list (FAL Form 5)."""

    family_name: str
    given_names: str
    rank_or_rating: str | None
    nationality: str
    date_of_birth: date
    place_of_birth: str | None
    gender: str | None
    document_type: str
    document_number: str
    document_issuing_state: str | None
    document_expiry: date | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class PassengerRow:
    """One line of a passenger list (FAL Form 6 plus the booking)."""

    family_name: str
    given_names: str
    nationality: str | None
    date_of_birth: date | None
    place_of_birth: str | None
    gender: str | None
    document_type: str | None
    document_number: str
    document_issuing_state: str | None
    document_expiry: date | None
    port_of_embarkation: str | None
    port_of_disembarkation: str | None
    booking_reference: str | None
    ticket_number: str | None
    cabin: str | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class ListSpec:
    """A kind of list: its columns in template order and the row type it reads into."""

    kind: str
    columns: tuple[Column, ...]
    row_type: type
    one_of: tuple[str, ...] = ()  # at least one of these columns must be filled in

    @property
    def header(self) -> tuple[str, ...]:
        """Return the column names in template order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        """Return the column with this name, or None."""
        return next((c for c in self.columns if c.name == name), None)


def _identity(*, crew: bool) -> tuple[Column, ...]:
    """Return the name, birth and document columns; FAL 5 requires more of them than FAL 6."""
    return (
        Column("nationality", required=crew, kind=COUNTRY),
        Column("date_of_birth", required=crew, kind=DATE),
        Column("place_of_birth", 120),
        Column("gender", 16),
        Column("document_type", 32, required=crew),
        Column("document_number", 64, required=True),
        Column("document_issuing_state", kind=COUNTRY),
        Column("document_expiry", kind=DATE),
    )


_NAMES = (Column("family_name", 120, required=True), Column("given_names", 120))
SPECS = {
    CREW: ListSpec(CREW, (*_NAMES, Column("rank_or_rating", 64), *_identity(crew=True)), CrewRow),
    PASSENGERS: ListSpec(
        PASSENGERS,
        (
            *_NAMES,
            *_identity(crew=False),
            Column("port_of_embarkation", 120),
            Column("port_of_disembarkation", 120),
            Column("booking_reference", 16),
            Column("ticket_number", 32),
            Column("cabin", 16),
        ),
        PassengerRow,
        one_of=("booking_reference", "ticket_number"),
    ),
}


def spec_for(kind: str) -> ListSpec:
    """Return the layout of a kind of list ('crew' or 'passengers')."""
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(f"Unknown kind of list: {kind!r}") from None


def cell_name(index: int, line: int) -> str:
    """Return the spreadsheet name of a cell, e.g. index 2 on line 4 -> 'C4'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{line}"


def is_formula(raw: str) -> bool:
    """Tell whether a spreadsheet would read the cell as a formula (leading spaces ignored)."""
    return raw.lstrip(" ").startswith(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would run, so it opens as text."""
    return "'" + value if is_formula(value) else value


def read_cell(column: Column, raw: str, cell: str) -> tuple[object, str | None]:
    """Return the typed value of a cell, or None and what is wrong with it."""
    unsafe = unsafe_cell(raw, cell)
    if unsafe:
        return None, unsafe
    value = raw.strip()
    if not value:
        return None, (f"Required: {column.name} is empty." if column.required else None)
    if column.kind == DATE:
        return _read_date(value)
    if column.kind == COUNTRY:
        return read_country(value)
    if len(value) > column.max_length:
        return None, f"Too long: {len(value)} characters, at most {column.max_length}."
    return value, None


def unsafe_cell(raw: str, cell: str) -> str | None:
    """Say why a cell is refused whatever its column: a formula or a control character."""
    if is_formula(raw):
        first = raw.lstrip(" ")[:1]
        said = _STARTS_SAID.get(first, f"'{first}'")
        return f"Cell {cell} starts with {said}, which a spreadsheet runs as a formula."
    control = next((c for c in raw if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        return f"Cell {cell} contains a control character (U+{ord(control):04X})."
    return None


def _read_date(value: str) -> tuple[date | None, str | None]:
    wrong = f"'{value[:20]}' is not a date: write it as YYYY-MM-DD (ISO 8601), e.g. 1984-03-25."
    if not _ISO_DATE.fullmatch(value):
        return None, wrong
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, wrong
