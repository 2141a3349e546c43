"""A ship's identity ashore: its IMO number, checked by the number's own check digit.

Rule source: IMO Resolution A.1117(30) (IMO ship identification number scheme): seven digits,
the last one the check digit, the sum of the first six weighted 7, 6, 5, 4, 3, 2, modulo 10.
"""

from __future__ import annotations

WEIGHTS = (7, 6, 5, 4, 3, 2)


def normalise_imo(text: str) -> str:
    """Return an IMO number as seven digits, without a leading "IMO" and spaces."""
    value = text.strip().upper().removeprefix("IMO").strip()
    return value


def is_valid_imo(number: str) -> bool:
    """Tell whether seven digits form an IMO number whose check digit is right."""
    if len(number) != 7 or not number.isascii() or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], WEIGHTS, strict=True))
    return total % 10 == int(number[6])
