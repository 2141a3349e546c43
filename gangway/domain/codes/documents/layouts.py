"""Where each field sits in the five zone formats, and which spans each check digit covers.

Rule source: ICAO Doc 9303 part 4 (TD3 passports), part 5 (TD1 cards), part 6 (TD2 cards) and
part 7 (MRV-A and MRV-B visas), the data structure tables of their machine-readable zones. The
seafarer identity document of ILO C185 (as amended in 2016) is one of these formats.
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int, int]  # (line, start, end): the slice line[start:end]


@dataclass(frozen=True, slots=True)
class Layout:
    """One format's fields (by name) and its composite check digit's spans."""

    format: str
    lines: int
    width: int
    fields: dict[str, Span]
    composite: tuple[Span, ...] = ()  # empty: the format has no composite check digit
    overflow: str | None = None  # the field that carries a document number over 9 characters

    def take(self, lines: tuple[str, ...], field: str) -> str:
        """Return a field's characters as they stand in the lines."""
        line, start, end = self.fields[field]
        return lines[line][start:end]

    def composite_text(self, lines: tuple[str, ...]) -> str:
        """Return the characters the composite check digit covers, in order."""
        return "".join(lines[line][start:end] for line, start, end in self.composite)


def _two_line(format_: str, width: int, *, optional_check: bool, composite: bool) -> Layout:
    """Return the layout of a two-line zone (TD2, TD3, MRV-A, MRV-B): line 2 is shared."""
    end = width - (1 if composite else 0) - (1 if optional_check else 0)
    fields = {
        "document_code": (0, 0, 2),
        "issuing_state": (0, 2, 5),
        "name": (0, 5, width),
        "document_number": (1, 0, 9),
        "document_number_check": (1, 9, 10),
        "nationality": (1, 10, 13),
        "birth_date": (1, 13, 19),
        "birth_date_check": (1, 19, 20),
        "sex": (1, 20, 21),
        "expiry_date": (1, 21, 27),
        "expiry_date_check": (1, 27, 28),
        "optional_data": (1, 28, end),
    }
    if optional_check:
        fields["optional_data_check"] = (1, end, end + 1)
    if composite:
        fields["composite_check"] = (1, width - 1, width)
    spans = ((1, 0, 10), (1, 13, 20), (1, 21, width - 1)) if composite else ()
    overflow = "optional_data" if format_ == "TD2" else None
    return Layout(format_, 2, width, fields, spans, overflow)


TD1 = Layout(
    "TD1",
    3,
    30,
    {
        "document_code": (0, 0, 2),
        "issuing_state": (0, 2, 5),
        "document_number": (0, 5, 14),
        "document_number_check": (0, 14, 15),
        "optional_data": (0, 15, 30),
        "birth_date": (1, 0, 6),
        "birth_date_check": (1, 6, 7),
        "sex": (1, 7, 8),
        "expiry_date": (1, 8, 14),
        "expiry_date_check": (1, 14, 15),
        "nationality": (1, 15, 18),
        "optional_data_2": (1, 18, 29),
        "composite_check": (1, 29, 30),
        "name": (2, 0, 30),
    },
    ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    overflow="optional_data",
)
TD2 = _two_line("TD2", 36, optional_check=False, composite=True)
TD3 = _two_line("TD3", 44, optional_check=True, composite=True)
MRVA = _two_line("MRVA", 44, optional_check=False, composite=False)
MRVB = _two_line("MRVB", 36, optional_check=False, composite=False)
VISA_CODE = "V"  # a visa's document code opens with V; a passport's with P, a card's with A, C, I


def layout_of(lines: tuple[str, ...]) -> Layout:
    """Return the layout of a zone whose lines have one of the three shapes."""
    if len(lines) == 3:
        return TD1
    visa = lines[0][:1] == VISA_CODE
    if len(lines[0]) == 44:
        return MRVA if visa else TD3
    return MRVB if visa else TD2


NUMERIC = ("birth_date", "expiry_date", "document_number_check", "birth_date_check")
NUMERIC_CHECKS = ("expiry_date_check", "optional_data_check", "composite_check")
