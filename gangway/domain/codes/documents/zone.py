"""Find a machine-readable zone's lines in the text an OCR engine read from a photo.

Rule source: ICAO Doc 9303 parts 4 to 7: a zone is three lines of 30 characters (TD1), or two
of 36 (TD2, MRV-B) or of 44 (TD3, MRV-A), at the bottom of the data page or the back of the card,
in OCR-B from the set A-Z, 0-9 and the filler "<".
"""

from __future__ import annotations

from collections.abc import Iterable

from gangway.domain.codes.documents.document import NOT_FOUND, RETAKE
from gangway.domain.codes.documents.fields import ALPHABET
from gangway.domain.scan.types import Reason

SHAPES = {30: 3, 36: 2, 44: 2}  # line length: number of lines
_MIN_LINE = 25  # shorter lines are the printed words above the zone, not a zone line
_ZONE_SHARE = 0.9  # a zone line read with a few stray characters is still a zone line


def find_zone(text: str | Iterable[str]) -> tuple[tuple[str, ...], Reason | None]:
    """Return the zone's lines (the bottom-most zone in the text), or the lines near one and why
    they are not a zone."""
    lines = [_clean(line) for line in (text.splitlines() if isinstance(text, str) else text)]
    zone_like = [line for line in lines if _is_zone_like(line)]
    if not zone_like:
        return (), NOT_FOUND
    if len(zone_like) == 1 and (joined := _split_joined(zone_like[0])):
        return joined, None  # a reader that sends the zone as one line without its breaks
    for length, count in SHAPES.items():
        tail = tuple(zone_like[-count:])
        if len(tail) == count and all(len(line) == length for line in tail):
            return tail, None
    return tuple(zone_like[-3:]), _bad_length(zone_like[-3:])


def _clean(line: str) -> str:
    # The zone has no spaces and no lower case: an OCR engine's spaces and case carry nothing.
    return "".join(line.split()).upper()


def _is_zone_like(line: str) -> bool:
    inside = sum(c in ALPHABET for c in line)
    return len(line) >= _MIN_LINE and inside >= _ZONE_SHARE * len(line)


def _split_joined(line: str) -> tuple[str, ...] | None:
    for length, count in SHAPES.items():
        if len(line) == length * count:
            return tuple(line[i : i + length] for i in range(0, len(line), length))
    return None


def _bad_length(lines: list[str]) -> Reason:
    lengths = " and ".join(str(len(line)) for line in lines)
    return Reason(
        "mrz_bad_length",
        f"The zone's lines read {lengths} characters long, but a document's zone has 3 lines "
        f"of 30, or 2 of 36 or 44 characters. {RETAKE}",
    )
