"""Write a valid machine-readable zone from a document's fields: for tests and benchmarks.

Rule source: ICAO Doc 9303 parts 3 to 7, as `layouts` places the fields; the TD1 and TD2 long
document number carried into the optional data (parts 5 and 6); Germany writes "D" (part 3).
A TD1 zone has two optional data fields: `optional_data` "A B" writes A on line 1, B on line 2
(as `parse_mrz` reads them back).
"""

from __future__ import annotations

from datetime import date

from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.fields import FILLER, check_digit
from gangway.domain.codes.documents.layouts import MRVA, MRVB, TD1, TD2, TD3, VISA_CODE, Layout
from gangway.domain.codes.documents.names import zone_name

LAYOUTS = {layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}
_WRITTEN_AS = {"DEU": "D"}  # 9303 part 3: Germany's documents print D, not DEU
_SEX = {"M": "M", "F": "F", "X": FILLER, "": FILLER}


def make_mrz(document: IdentityDocument) -> tuple[str, ...]:
    """Return the zone's lines for a document's fields, every check digit computed.

    :raises ValueError: a field does not fit its place in the format.
    """
    layout = LAYOUTS[document.format]
    if (layout.format in ("MRVA", "MRVB")) != document.document_type.startswith(VISA_CODE):
        raise ValueError(f"A {layout.format} zone's document code opens with V only for a visa")
    lines = [[FILLER] * layout.width for _ in range(layout.lines)]
    for name, value in _field_values(layout, document).items():
        _put(layout, lines, name, value)
    text = tuple("".join(line) for line in lines)
    for name in ("birth_date", "expiry_date", "optional_data"):
        if f"{name}_check" in layout.fields:
            _put(layout, lines, f"{name}_check", check_digit(layout.take(text, name)))
    text = tuple("".join(line) for line in lines)
    if layout.composite:
        _put(layout, lines, "composite_check", check_digit(layout.composite_text(text)))
    return tuple("".join(line) for line in lines)


def _field_values(layout: Layout, document: IdentityDocument) -> dict[str, str]:
    optional, _, optional_2 = document.optional_data.partition(" ")
    number = document.document_number
    if len(number) > 9 and layout.overflow:
        optional = f"{number[9:]}{check_digit(number)}{FILLER}{optional}"
        number, number_check = number[:9], FILLER
    else:
        number_check = check_digit(number)
    values = {
        "document_code": document.document_type,
        "issuing_state": _WRITTEN_AS.get(document.issuing_state, document.issuing_state),
        "name": zone_name(document.family_name, document.given_names, _name_width(layout)),
        "document_number": number,
        "document_number_check": number_check,
        "nationality": _WRITTEN_AS.get(document.nationality, document.nationality),
        "birth_date": _yymmdd(document.birth_date),
        "sex": _SEX[document.sex],
        "expiry_date": _yymmdd(document.expiry_date),
        "optional_data": optional,
    }
    if optional_2:
        values["optional_data_2"] = optional_2
    return values


def _name_width(layout: Layout) -> int:
    _, start, end = layout.fields["name"]
    return end - start


def _yymmdd(day: date | None) -> str:
    return day.strftime("%y%m%d") if day else FILLER * 6


def _put(layout: Layout, lines: list[list[str]], name: str, value: str) -> None:
    line, start, end = layout.fields[name]
    if len(value) > end - start:
        raise ValueError(
            f"{name} {value!r} is longer than its {end - start} places in {layout.format}"
        )
    lines[line][start : start + len(value)] = value
