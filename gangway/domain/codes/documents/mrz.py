"""Read an ICAO 9303 machine-readable zone to the document it describes, check digits included.

Rule source: ICAO Doc 9303 (8th edition, 2021), part 3 (check digits, names, codes, dates) and
parts 4 to 7 (the TD3, TD1, TD2, MRV-A and MRV-B zones, the TD1 and TD2 long document number).
Passports, identity cards, visas and ILO C185 seafarer identity documents all carry one.
Dates carry two digits of the year: a birth date is the latest one not after `today`, an expiry
the one within 50 years of `today` (a document expired long ago or valid for decades is rare,
one born in the future impossible).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gangway.domain.codes.documents import fields as f
from gangway.domain.codes.documents.document import (
    BIRTH_DATE_UNKNOWN,
    NAME_TRUNCATED,
    OCR_CORRECTED,
    RETAKE,
    UNKNOWN_COUNTRY,
    CheckDigit,
    IdentityDocument,
    caution,
    unread,
)
from gangway.domain.codes.documents.layouts import NUMERIC, NUMERIC_CHECKS, Layout, layout_of
from gangway.domain.codes.documents.zone import find_zone
from gangway.domain.scan.types import Reason

SEXES = {"M": "M", "F": "F", "X": "X", "<": "X"}  # "<": unspecified, printed X on the page
_FIELD_WORDS = {
    "document_number": "document number",
    "birth_date": "date of birth",
    "expiry_date": "date of expiry",
    "optional_data": "optional data",
    "composite": "whole zone (composite)",
}


def parse_mrz(text: str | Iterable[str], today: date) -> IdentityDocument:
    """Return the document a zone holds (valid only if every check digit holds), or why not."""
    found, not_a_zone = find_zone(text)
    if not_a_zone:
        return unread(not_a_zone, found)
    if problem := _bad_character(found):
        return unread(problem, found)
    layout = layout_of(found)
    lines = _as_digits(found, layout)
    number, number_check, optional = _document_number(layout, lines)
    checks = _check_digits(layout, lines, number, number_check)
    born, expires, date_problem, cautions = _dates(layout, lines, today)
    family, given = f.read_name(layout.take(lines, "name"))
    state, nationality, code_cautions = _codes(layout, lines)
    problem = _check_problem(checks) or date_problem or _field_problem(layout, lines, family)
    if lines != found:
        cautions.append(caution(OCR_CORRECTED, "Letters read in a date were taken as digits."))
    if not layout.take(lines, "name").endswith(f.FILLER):
        cautions.append(caution(NAME_TRUNCATED, "The name fills the zone: it may be cut short."))
    return IdentityDocument(
        format=layout.format,
        document_type=f.strip_fillers(layout.take(lines, "document_code")),
        issuing_state=state,
        document_number=number,
        family_name=family,
        given_names=given,
        nationality=nationality,
        birth_date=born,
        sex=SEXES.get(layout.take(lines, "sex"), ""),
        expiry_date=expires,
        optional_data=optional,
        mrz=found,
        check_digits=checks,
        problem=problem,
        cautions=(*cautions, *code_cautions),
    )


def _bad_character(lines: tuple[str, ...]) -> Reason | None:
    for number, line in enumerate(lines, 1):
        for position, char in enumerate(line, 1):
            if char not in f.ALPHABET:
                return Reason(
                    "mrz_bad_character",
                    f"Line {number} of the zone holds {char!r} at position {position}: a zone "
                    f"holds only A-Z, 0-9 and <. {RETAKE}",
                )
    return None


def _as_digits(lines: tuple[str, ...], layout: Layout) -> tuple[str, ...]:
    """Return the lines with letters read in all-digit fields taken as the digits they resemble."""
    rows = [list(line) for line in lines]
    for name in (*NUMERIC, *NUMERIC_CHECKS):
        if name in layout.fields:
            line, start, end = layout.fields[name]
            rows[line][start:end] = f.as_digits(lines[line][start:end])
    return tuple("".join(row) for row in rows)


def _document_number(layout: Layout, lines: tuple[str, ...]) -> tuple[str, str, str]:
    """Return (number, its check digit, the optional data), a TD1/TD2 long number joined up."""
    head = layout.take(lines, "document_number")
    check = layout.take(lines, "document_number_check")
    optional = layout.take(lines, "optional_data")
    if layout.overflow and check == f.FILLER and optional[:1] not in ("", f.FILLER):
        # 9303 parts 5 and 6: the rest of the number, its check digit, then a filler.
        tail, _, rest = optional.partition(f.FILLER)
        head, check, optional = head + tail[:-1], f.as_digits(tail[-1]), rest
    if layout.format == "TD1":
        optional = f"{f.strip_fillers(optional)} {layout.take(lines, 'optional_data_2')}"
    return f.strip_fillers(head), check, " ".join(f.strip_fillers(optional).split())


def _check_digits(
    layout: Layout, lines: tuple[str, ...], number: str, number_check: str
) -> tuple[CheckDigit, ...]:
    checks = [CheckDigit("document_number", f.check_digit(number) == number_check)]
    for name in ("birth_date", "expiry_date", "optional_data"):
        if f"{name}_check" in layout.fields:
            field = layout.take(lines, name)
            found = layout.take(lines, f"{name}_check")
            unused = name == "optional_data" and set(field) == {f.FILLER} and found in "<0"
            checks.append(CheckDigit(name, unused or f.check_digit(field) == found))
    if layout.composite:
        found = layout.take(lines, "composite_check")
        checks.append(CheckDigit("composite", f.check_digit(layout.composite_text(lines)) == found))
    return tuple(checks)


def _check_problem(checks: tuple[CheckDigit, ...]) -> Reason | None:
    failed = [_FIELD_WORDS[c.name] for c in checks if not c.valid]
    if not failed:
        return None
    which = " and the ".join(failed)
    digits = "digit of the" if len(failed) == 1 else "digits of the"
    verb = "does" if len(failed) == 1 else "do"
    return Reason("mrz_check_digit", f"The check {digits} {which} {verb} not match. {RETAKE}")


def _dates(
    layout: Layout, lines: tuple[str, ...], today: date
) -> tuple[date | None, date | None, Reason | None, list[Reason]]:
    """Return (birth date, expiry date, a problem or None, cautions)."""
    born_field, expiry_field = layout.take(lines, "birth_date"), layout.take(lines, "expiry_date")
    cautions, born, expires = [], None, None
    try:
        if f.is_partly_unknown(born_field):
            cautions.append(caution(BIRTH_DATE_UNKNOWN, "The document gives no full birth date."))
        else:
            born = f.birth_date(_six_digits(born_field), today)
        if set(expiry_field) != {f.FILLER}:  # all fillers: the document does not expire
            expires = f.expiry_date(_six_digits(expiry_field), today)
    except ValueError:
        which = "birth" if born is None and not cautions else "expiry"
        shown = born_field if which == "birth" else expiry_field
        why = f"The date of {which} in the zone ({shown}) is not a date. {RETAKE}"
        return born, None, Reason("mrz_bad_date", why), []
    return born, expires, None, cautions


def _six_digits(field: str) -> tuple[int, int, int]:
    read = f.read_date(field)
    if read is None:
        raise ValueError(field)
    return read


def _codes(layout: Layout, lines: tuple[str, ...]) -> tuple[str, str, list[Reason]]:
    state, state_known = f.read_code(layout.take(lines, "issuing_state"))
    nationality, nationality_known = f.read_code(layout.take(lines, "nationality"))
    read = ((state, state_known), (nationality, nationality_known))
    unknown = dict.fromkeys(code for code, known in read if not known)
    cautions = [
        caution(UNKNOWN_COUNTRY, f"{code or 'An empty code'} is not a state code ICAO lists.")
        for code in unknown
    ]
    return state, nationality, cautions


def _field_problem(layout: Layout, lines: tuple[str, ...], family: str) -> Reason | None:
    code, sex = layout.take(lines, "document_code"), layout.take(lines, "sex")
    if not code[0].isalpha():
        why = f"the document code {code!r} does not open with a letter"
    elif sex not in SEXES:
        why = f"the sex field holds {sex!r} (M, F, X or < only)"
    elif not family:
        why = "the name has no primary identifier (family name)"
    else:
        return None
    return Reason("mrz_bad_field", f"The zone does not follow ICAO 9303: {why}. {RETAKE}")
