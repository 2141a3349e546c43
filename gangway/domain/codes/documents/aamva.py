"""Read the PDF417 barcode of a North American driving licence or ID card (AAMVA).

Rule source: the AAMVA DL/ID Card Design Standard (2020; versions 01 to 10 of the barcode), annex
D: the header "@", LF, RS, CR, "ANSI " (or "AAMVA" in version 01), the issuer's IIN (6 digits),
the version (2), the jurisdiction version (2, from version 02), the number of subfiles (2) and a
designator for each (type, offset, length: 2 + 4 + 4); a subfile opens with its type (DL or ID)
and holds elements, a three-letter ID then the value, each ended by LF, the subfile by CR. Dates
are MMDDCCYY on US cards, CCYYMMDD on Canadian ones (and in version 01). Scanners and browsers
that cannot pass control characters on may send Unicode's control pictures (U+2400 + the code).
"""

from __future__ import annotations

import re
from datetime import date

from gangway.domain.codes.documents.document import (
    AAMVA_FORMAT,
    NAME_TRUNCATED,
    NO_BARCODE,
    IdentityDocument,
    caution,
    unread,
)
from gangway.domain.scan.types import Reason

# Unicode control pictures: U+2400 + the code of each C0 control (U+240A for LF, U+241E for RS).
_PICTURES = {0x2400 + code: code for code in range(0x20)}
_HEADER = re.compile(r"(?:ANSI |AAMVA)(\d{6})(\d{2})")
_DESIGNATOR = re.compile(r"(DL|ID|Z[A-Z])\d{8}")
_SEPARATORS = re.compile(r"[\x00-\x1f\x7f]+")  # LF, CR, RS, GS; any other control is noise
SEXES = {"1": "M", "2": "F", "9": "X", "M": "M", "F": "F", "X": "X"}
_REQUIRED = {"DAQ": "document number", "DBB": "date of birth", "DBA": "date of expiry"}
_TRUNCATED = ("DDE", "DDF", "DDG")  # family, first, middle name: "T" when cut to fit


def is_aamva(text: str) -> bool:
    """Tell whether a decoded text carries an AAMVA header (not yet read)."""
    return _HEADER.search(text.translate(_PICTURES)[:40]) is not None


def is_scanned_licence(text: str) -> bool:
    """Tell whether a scanned text is an AAMVA barcode: "@", the compliance indicator, first."""
    return text.startswith("@") and is_aamva(text)


def parse_aamva(text: str) -> IdentityDocument:
    """Return the holder and document an AAMVA barcode describes, or why it does not read."""
    text = text.translate(_PICTURES)
    header = _HEADER.search(text[:40])
    if header is None:
        return unread(NO_BARCODE)
    version = int(header.group(2))
    rest = text[header.end() + (4 if version >= 2 else 2) :]  # jurisdiction version, count
    designator = _DESIGNATOR.match(rest)
    kind = designator.group(1) if designator and designator.group(1) in ("DL", "ID") else "DL"
    elements = _elements(rest)
    family, given = _names(elements)
    country = elements.get("DCG", "")
    if problem := _missing(elements, family):
        return IdentityDocument(format=AAMVA_FORMAT, document_type=kind, problem=problem)
    born, expires = (_date(elements[k], country, version) for k in ("DBB", "DBA"))
    problem = None if born and expires else _bad_date(elements, born)
    return IdentityDocument(
        format=AAMVA_FORMAT,
        document_type=kind,
        issuing_state=country,
        issuer=elements.get("DAJ", ""),
        document_number=elements["DAQ"],
        family_name=family,
        given_names=given,
        birth_date=born,
        sex=SEXES.get(elements.get("DBC", ""), ""),
        expiry_date=expires,
        problem=problem,
        cautions=_cautions(elements),
    )


def _elements(body: str) -> dict[str, str]:
    """Return each element's value by its ID (the first occurrence wins), values trimmed."""
    found: dict[str, str] = {}
    for record in _SEPARATORS.split(body):
        # The subfile's first element follows its designators and type: "...DL00410278DLDAQ..."
        start = re.search(r"(?:DL|ID)(?=D[A-Z]{2})", record)
        record = record[start.end() :] if start and not re.match(r"D[A-Z]{2}", record) else record
        if re.match(r"D[A-Z]{2}", record):
            found.setdefault(record[:3], record[3:].strip())
    return found


def _names(elements: dict[str, str]) -> tuple[str, str]:
    """Return (family name, given names): DCS, DAC and DAD; DCT (v02); DAA "FAMILY,GIVEN" (v01)."""
    family = elements.get("DCS") or elements.get("DAB", "")
    given = [elements.get("DAC", ""), elements.get("DAD", "")]
    if not any(given) and "DCT" in elements:
        given = [elements["DCT"].replace(",", " ")]
    if not family and "DAA" in elements:
        family, _, rest = elements["DAA"].replace("$", ",").partition(",")
        given = [rest.replace(",", " ")]
    given_names = " ".join(" ".join(g for g in given if g and g != "NONE").split())
    return family.strip(), given_names


def _date(value: str, country: str, version: int) -> date | None:
    if len(value) != 8 or not value.isdigit():
        return None
    year_first = country == "CAN" or (not country and version == 1)
    year, month, day = (
        (value[:4], value[4:6], value[6:]) if year_first else (value[4:], value[:2], value[2:4])
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _missing(elements: dict[str, str], family: str) -> Reason | None:
    absent = [words for key, words in _REQUIRED.items() if not elements.get(key)]
    if not family:
        absent.append("family name")
    if not absent:
        return None
    return Reason(
        "aamva_missing_element",
        f"The barcode gives no {' and no '.join(absent)}: check the card by hand.",
    )


def _bad_date(elements: dict[str, str], born: date | None) -> Reason:
    key, words = ("DBB", "birth") if born is None else ("DBA", "expiry")
    return Reason(
        "aamva_bad_date",
        f"The barcode's date of {words} ({elements[key]!r}) is not a date: check the card by hand.",
    )


def _cautions(elements: dict[str, str]) -> tuple[Reason, ...]:
    if any(elements.get(key) == "T" for key in _TRUNCATED):
        return (caution(NAME_TRUNCATED, "The card cut the name to fit: it may be longer."),)
    return ()
