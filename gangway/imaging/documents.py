"""Read an identity document's machine-readable zone from a photo: photo bytes in, the lines out.

Pure reading (no app): the upload guards of images.py, then zone.py finds and levels the zone,
and an OCR engine reads its lines (PP-OCRv4 on onnxruntime by default, Debian's tesseract as
the alternative measured in bench/document_bench.py). A candidate is kept only when its lines
have the shape of an ICAO 9303 zone (3 x 30, 2 x 36 or 2 x 44 characters); each candidate is
read upright, then upside down. Parsing and the check digits are the caller's (domain/codes).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from gangway.domain.codes.documents.layouts import layout_of
from gangway.imaging.images import ImageRejected, check_size, open_upload
from gangway.imaging.zone import find_zones

READ_SIDE = 2400  # px: a small zone keeps ~20 px a character; a 12 MP JPEG decodes at 1/2
SHAPES = {(30, 30, 30), (36, 36), (44, 44)}
NO_ZONE = (
    "No machine-readable zone found. Photograph the whole data page (or the back of the card) "
    "flat, in even light, with the two or three lines of <<< at the bottom sharp."
)
# Lookalikes the recognisers put for OCR-B's chevron and for letters outside A-Z.
_FIXES = str.maketrans({"«": "<<", "‹": "<", "く": "<", "〈": "<", "＜": "<"})
_NOT_ZONE = re.compile(r"[^A-Z0-9<]")
# OCR-B's 0 and O (and 1 and I...) differ by a hair; codes and names hold letters and fillers
# only (9303 part 3), so a digit read there is the letter it resembles.
_AS_LETTER = str.maketrans("012586", "OIZSBG")
_LETTER_FIELDS = ("document_code", "issuing_state", "nationality", "name")

Engine = Callable[[list[Image.Image]], list[str]]


class NoZoneFound(ImageRejected):
    """The photo is an image, but no zone could be read in it."""


@dataclass(frozen=True)
class ZoneReading:
    """The zone's lines as read, the engine that read them and the time it took."""

    lines: list[str]
    engine: str
    seconds: float


def read_zone(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    engine: str = "ppocr",
    accept: Callable[[list[str]], bool] | None = None,
) -> ZoneReading:
    """Return the zone's lines read from photo bytes.

    `accept` (e.g. "every check digit holds") picks among readings of the right shape; without
    it, or when none is accepted, the first reading of the right shape is returned.
    :raises ImageRejected: not a usable image (size, format), or NoZoneFound.
    """
    started = time.perf_counter()
    check_size(data, max_bytes)
    image, _ = open_upload(data, READ_SIDE, max_pixels, "L")
    recognise = ENGINES[engine]
    fallback = None
    for zone in find_zones(image):
        for lines in (zone.lines, [line.rotate(180) for line in reversed(zone.lines)]):
            texts = fill_short(texts=[clean(text) for text in recognise(lines)])
            if tuple(len(text) for text in texts) not in SHAPES:
                continue
            texts = as_letters(texts)
            if accept is None or accept(texts):
                return ZoneReading(texts, engine, time.perf_counter() - started)
            fallback = fallback or texts
    if fallback is None:
        raise NoZoneFound(NO_ZONE)
    return ZoneReading(fallback, engine, time.perf_counter() - started)


def clean(text: str) -> str:
    """Return a recogniser's line in the zone's alphabet: upper case, no spaces, chevrons as <."""
    return _NOT_ZONE.sub("", text.upper().translate(_FIXES))


def fill_short(texts: list[str]) -> list[str]:
    """Return the lines with a trailing run of fillers made up to the zone's width.

    A recogniser merges two alike neighbours now and then (CTC), and a run of 15 fillers at a
    line's end is where it happens: one or two missing there are put back. Elsewhere a missing
    character is not guessed: the line stays short and the reading is refused.
    """
    width = {3: 30}.get(len(texts)) or min((36, 44), key=lambda w: abs(w - max(map(len, texts))))
    return [
        text + "<" * (width - len(text)) if 0 < width - len(text) <= 2 and text.endswith("<<<")
        else text
        for text in texts
    ]


def as_letters(lines: list[str]) -> list[str]:
    """Return the lines with digits read in the letter-only code fields taken as letters."""
    layout = layout_of(tuple(lines))
    rows = [list(line) for line in lines]
    for name in _LETTER_FIELDS:
        line, start, end = layout.fields[name]
        rows[line][start:end] = lines[line][start:end].translate(_AS_LETTER)
    return ["".join(row) for row in rows]


def _ppocr(lines: list[Image.Image]) -> list[str]:
    from gangway.imaging.ppocr import recognise_lines

    return [text for text, _ in recognise_lines(lines)]


def _tesseract(lines: list[Image.Image]) -> list[str]:
    from gangway.imaging.tesseract import PSM_SINGLE_LINE, recognise

    return [recognise(line, psm=PSM_SINGLE_LINE) for line in lines]


ENGINES: dict[str, Engine] = {"ppocr": _ppocr, "tesseract": _tesseract}
