"""The zone's field rules: check digits, dates and their century, names, country codes.

Rule source: ICAO Doc 9303 part 3 (8th edition, 2021): section 4.9 (check digits: weights 7, 3, 1
repeating; digits their value, A to Z 10 to 35, the filler "<" 0; the sum modulo 10), section 4.6
(names: primary identifier, "<<", secondary identifier, "<" between components) and section 5
(the three-letter codes, Germany's "D" among them).
"""

from __future__ import annotations

from datetime import date
from itertools import cycle

from gangway.domain.lists.countries import read_country

FILLER = "<"
ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS = (7, 3, 1)
# Letters an OCR engine reads where OCR-B prints a digit. Applied only where the zone allows
# nothing but digits (dates, check digits), so the check digit still decides: no name is guessed.
_AS_DIGIT = str.maketrans("OQDIZSBG", "00012586")
CENTURY_WINDOW = 50  # an expiry lies within 50 years of today, either side


def char_value(char: str) -> int:
    """Return a zone character's value in the check digit sum."""
    if char.isdigit():
        return int(char)
    return 0 if char == FILLER else ord(char) - ord("A") + 10


_VALUES = {char: char_value(char) for char in ALPHABET}


def check_digit(text: str) -> str:
    """Return the check digit (one character) ICAO 9303 computes over zone characters."""
    total = sum(_VALUES[c] * w for c, w in zip(text, cycle(_WEIGHTS)))
    return str(total % 10)


def as_digits(text: str) -> str:
    """Return a numeric field with the letters OCR confuses for digits read as those digits."""
    return text.translate(_AS_DIGIT)


def strip_fillers(text: str) -> str:
    """Return a field without the fillers that pad it on the right."""
    return text.rstrip(FILLER)


def read_name(field: str) -> tuple[str, str]:
    """Return (family name, given names) of a name field; "<" between components is a space."""
    primary, _, secondary = field.partition(FILLER * 2)
    return _words(primary), _words(secondary)


def _words(part: str) -> str:
    return " ".join(part.replace(FILLER, " ").split())


def read_code(field: str) -> tuple[str, bool]:
    """Return a state or nationality code as stored (D as DEU) and whether ICAO lists it."""
    code = strip_fillers(field)
    stored, _ = read_country(code) if code == "D" or len(code) == 3 else (None, None)
    if stored is None or (code != "D" and stored != code):
        return code, False
    return stored, True


def read_date(field: str) -> tuple[int, int, int] | None:
    """Return (yy, month, day) of a YYMMDD field, None when it is not six digits."""
    if len(field) != 6 or not field.isdigit():
        return None
    return int(field[:2]), int(field[2:4]), int(field[4:])


def is_partly_unknown(field: str) -> bool:
    """Tell whether a birth date gives fillers for its unknown year, month or day (9303 part 3).

    Each part is two digits or two fillers: a lone filler is a misread, not an unknown part.
    """
    parts = (field[0:2], field[2:4], field[4:6])
    unknown = [part == FILLER * 2 for part in parts]
    return any(unknown) and all(u or part.isdigit() for u, part in zip(unknown, parts, strict=True))


def birth_date(yymmdd: tuple[int, int, int], today: date) -> date:
    """Return the birth date in the latest century that puts it on or before today.

    :raises ValueError: the month or day does not exist.
    """
    yy, month, day = yymmdd
    born = date(today.year // 100 * 100 + yy, month, day) if yy <= today.year % 100 else None
    if born is None or born > today:
        born = date((today.year // 100 - 1) * 100 + yy, month, day)
    return born


def expiry_date(yymmdd: tuple[int, int, int], today: date) -> date:
    """Return the expiry date in the century that puts it within 50 years of today.

    :raises ValueError: the month or day does not exist.
    """
    yy, month, day = yymmdd
    year = today.year // 100 * 100 + yy
    if year > today.year + CENTURY_WINDOW:
        year -= 100
    elif year <= today.year - CENTURY_WINDOW:
        year += 100
    return date(year, month, day)
