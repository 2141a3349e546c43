"""IATA Bar Coded Boarding Pass (BCBP): read the mandatory items of format code 'M'.

Rule source: IATA Resolution 792, BCBP Implementation Guide (versions 6 to 8). Item sizes:
format code (1), number of legs (1), passenger name (20), electronic ticket indicator (1); then
per leg: operating carrier PNR (7), from (3), to (3), carrier (3), flight number (5), Julian date
of flight (3), compartment (1), seat (4), check-in sequence (5), passenger status (1), and a
two-hex-digit size followed by that many characters of conditional and airline data. The first
leg's data opens with the version marker '>', the version (1) and the size (2 hex) of the unique
conditional items. An optional security section may follow the last leg: '^', type (1), size
(2 hex) and the data. The guide allows printable ASCII only.
"""

from __future__ import annotations

import string
from calendar import isleap
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

from gangway.domain.codes.bcbp_reader import BcbpReader, InvalidBoardingPass

FORMAT_CODE = "M"
NAME_LENGTH = 20
MIN_LENGTH = 60  # the header (23) plus one leg's mandatory items (37)
VERSION_MARKER = ">"
SECURITY_MARKER = "^"
TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR"})

_LEG_COUNTS = frozenset("1234")
# Caps lock on a keyboard-wedge scanner inverts letter case; swapping back restores the text.
_SWAP_CASE = str.maketrans(string.ascii_letters, string.ascii_letters.swapcase())
# (attribute, size, label) of each mandatory item of a leg, in order.
_LEG_ITEMS = (
    ("pnr", 7, "booking reference"),
    ("from_airport", 3, "departure airport"),
    ("to_airport", 3, "arrival airport"),
    ("carrier", 3, "airline"),
    ("flight_number", 5, "flight number"),
    ("julian_date", 3, "flight date"),
    ("compartment", 1, "compartment"),
    ("seat", 4, "seat"),
    ("check_in_sequence", 5, "check-in sequence number"),
    ("passenger_status", 1, "passenger status"),
)


@dataclass(frozen=True, slots=True)
class BcbpLeg:
    """One flight (or sailing) of a boarding pass; text items are stripped of padding."""

    pnr: str
    from_airport: str
    to_airport: str
    carrier: str
    flight_number: str
    julian_date: int | None  # day of the year; the pass carries no year
    compartment: str
    seat: str
    check_in_sequence: str
    passenger_status: str
    conditional: str  # raw conditional and airline data, exactly the declared size


@dataclass(frozen=True, slots=True)
class BcbpPass:
    """What a boarding pass says about its holder and legs."""

    format_code: str
    legs_count: int
    passenger_name: str  # as printed, e.g. "DESMARAIS/LUC MR"; truncated at 20 characters
    family_name: str
    given_names: str  # without a trailing title such as MR or MRS
    electronic_ticket: bool
    legs: tuple[BcbpLeg, ...]
    version: int | None = None  # from the '>' section of the first leg, when present
    security_type: str | None = None
    security_data: str | None = None  # raw, after the '^' type and size items

    @property
    def is_name_truncated(self) -> bool:
        """Tell whether the name fills its 20 characters, so it may have been cut."""
        return len(self.passenger_name) >= NAME_LENGTH


def is_bcbp(text: str) -> bool:
    """Tell whether a scanned text looks like a format 'M' boarding pass (not yet validated)."""
    text = text.strip()
    return len(text) >= MIN_LENGTH and text[0] in "Mm" and text[1] in _LEG_COUNTS


def parse_bcbp(text: str) -> BcbpPass:
    """Read a format 'M' boarding pass; whitespace the scanner adds at either end is ignored.

    :raises InvalidBoardingPass: the text breaks the layout, with a message saying where.
    """
    reader = BcbpReader(_restore_case(text.lstrip()))
    if reader.take(1, "format code") != FORMAT_CODE:
        raise InvalidBoardingPass("Not an IATA boarding pass: the format code is not 'M'.")
    count_raw = reader.take(1, "number of legs")
    if count_raw not in _LEG_COUNTS:
        raise InvalidBoardingPass(f"Boarding pass number of legs ({count_raw!r}) is not 1 to 4.")
    count = int(count_raw)
    name = reader.take(NAME_LENGTH, "passenger name").strip()
    if not name:
        raise InvalidBoardingPass("Boarding pass has no passenger name.")
    ticket = reader.take(1, "electronic ticket indicator")
    legs = tuple(_read_leg(reader, n, count) for n in range(1, count + 1))
    version = _read_version(legs[0].conditional)
    security_type, security_data = _read_security(reader, count)
    family_name, given_names = _split_name(name)
    return BcbpPass(
        format_code=FORMAT_CODE,
        legs_count=count,
        passenger_name=name,
        family_name=family_name,
        given_names=given_names,
        electronic_ticket=ticket == "E",
        legs=legs,
        version=version,
        security_type=security_type,
        security_data=security_data,
    )


def resolve_julian_date(julian_date: int, today: date) -> date | None:
    """Return the date nearest `today` that falls on this day of the year, None if none can."""
    if not 1 <= julian_date <= 366:
        return None
    years = range(max(today.year - 1, MINYEAR), min(today.year + 1, MAXYEAR) + 1)
    days = [
        date(year, 1, 1) + timedelta(days=julian_date - 1)
        for year in years
        if julian_date < 366 or isleap(year)
    ]
    return min(days, key=lambda day: abs(day - today), default=None)


def _restore_case(text: str) -> str:
    """Undo an inverted letter case: a pass always starts with a capital 'M'."""
    return text.translate(_SWAP_CASE) if text[:1] == FORMAT_CODE.lower() else text


def _read_leg(reader: BcbpReader, number: int, count: int) -> BcbpLeg:
    """Read one leg's mandatory items and exactly its declared conditional data."""
    left = reader.remaining()
    at_end = number > 1 and (not left.strip() or left.startswith(SECURITY_MARKER))
    try:
        items = {
            attribute: reader.take(size, f"{label} of leg {number}").strip()
            for attribute, size, label in _LEG_ITEMS
        }
        conditional = reader.take_sized(f"conditional data of leg {number}")
    except InvalidBoardingPass:
        if at_end:  # a PNR may start with '^', so this only explains a failure
            raise InvalidBoardingPass(
                f"Boarding pass declares {count} legs but holds only {number - 1}."
            ) from None
        raise
    return BcbpLeg(
        **{**items, "julian_date": _julian_date(items["julian_date"], number)},
        conditional=conditional,
    )


def _julian_date(raw: str, number: int) -> int | None:
    """Return the day of the year of a leg, None when the item is blank."""
    if not raw:
        return None
    if len(raw) != 3 or not raw.isdigit() or not 1 <= int(raw) <= 366:
        raise InvalidBoardingPass(
            f"Boarding pass flight date of leg {number} ({raw!r}) is not a day of the year."
        )
    return int(raw)


def _read_version(conditional: str) -> int | None:
    """Return the version from the first leg's data, checking the size of its unique items."""
    if not conditional.startswith(VERSION_MARKER):
        return None
    reader = BcbpReader(conditional)
    reader.take(1, "version marker")
    version = reader.take(1, "version number")
    if not version.isdigit():
        raise InvalidBoardingPass(f"Boarding pass version ({version!r}) is not a digit.")
    reader.take_sized("unique conditional data of leg 1")
    return int(version)


def _read_security(reader: BcbpReader, count: int) -> tuple[str | None, str | None]:
    """Read the optional security section that follows the last leg."""
    if not reader.remaining().strip():
        return None, None  # nothing, or the CR/LF a scanner sends after the code
    if not reader.remaining().startswith(SECURITY_MARKER):
        raise InvalidBoardingPass(
            f"Boarding pass has data after its last leg: it holds more than the {count} "
            "leg(s) it declares, or a leg's conditional size is wrong."
        )
    reader.take(1, "security marker")
    security_type = reader.take(1, "security data type")
    security_data = reader.take_sized("security data")
    if reader.remaining().strip():
        raise InvalidBoardingPass("Boarding pass has data after its security data.")
    return security_type, security_data


def _split_name(name: str) -> tuple[str, str]:
    """Split "FAMILY/GIVEN TITLE" into the family name and the given names without the title."""
    family, _, given = name.partition("/")
    tokens = given.split()
    if tokens and tokens[-1].upper() in TITLES:
        tokens.pop()
    return family.strip(), " ".join(tokens)
