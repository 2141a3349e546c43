"""Read an identity document's machine-readable zone from a photo: photo bytes in, the lines out.

Pure reading (no app): the upload guards of images.py, then zone.py finds and levels the zone,
and an OCR engine reads its lines (PP-OCRv4 on onnxruntime by default, Debian's tesseract as
the alternative measured in bench/document_bench.py). A candidate is kept only when its lines
have the shape of an ICAO 9303 zone (3 x 30, 2 x 36 or 2 x 44 characters); each candidate is
read upright, then upside down. The name, which no check digit guards, is read twice. Parsing
and the check digits are the caller's (domain/codes).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageFilter

from gangway.domain.codes.documents.aamva import is_aamva
from gangway.domain.codes.documents.fields import read_name
from gangway.domain.codes.documents.layouts import layout_of
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.imaging.decode import decode_image
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
    name_unsure: bool = False  # every check digit holds, but the name read two ways


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
            texts = [clean(text) for text in recognise(lines)]
            if tuple(len(text) for text in texts) not in SHAPES:
                continue
            texts = as_letters(texts)
            if accept is None or accept(texts):
                # Every check digit holds: only the name may still be wrong (then re-take).
                unsure = not name_reads_again(texts, lines, engine)
                return ZoneReading(texts, engine, time.perf_counter() - started, unsure)
            fallback = fallback or texts
    if fallback is None:
        raise NoZoneFound(NO_ZONE)
    return ZoneReading(fallback, engine, time.perf_counter() - started)


def name_reads_again(texts: list[str], lines: list[Image.Image], engine: str) -> bool:
    """Tell whether the name's line, read a second time at another scale, gives the same name.

    The name carries no check digit (9303 part 3), so a misread there passes every check: two
    readings of the line at different widths must agree on the family and given names (a
    filler more or less in the padding does not matter, the name's letters and breaks do).
    """
    again = AGAIN.get(engine)
    if again is None:
        return True
    line, start, _ = layout_of(tuple(texts)).fields["name"]  # the name runs to its line's end
    second = clean(again([lines[line]])[0])
    return _name(second[start:]) == _name(texts[line][start:])


def _name(field: str) -> tuple[str, str]:
    """Return (family, given names) of a name field read as as_letters reads it."""
    field = field.translate(_AS_LETTER)
    if (padding := field.find("<<<")) >= 0:
        field = field[:padding]
    return read_name(field)


@dataclass(frozen=True)
class DocumentText:
    """What a photo of a document holds: a zone's lines, or an AAMVA barcode's text."""

    zone: tuple[str, ...] = ()
    barcode: str = ""
    name_unsure: bool = False  # the zone's name did not read the same twice


def read_document_image(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    today: date,
) -> DocumentText:
    """Return an AAMVA PDF417's text if the photo holds one, else the zone's lines.

    The barcode is looked for first: it costs a tenth of an OCR read, and a card that carries
    one (a US driving licence) has no zone. Among zone readings, one whose check digits all
    hold is preferred (`today` dates the two-digit years).
    :raises ImageRejected: not a usable image, or NoZoneFound.
    """
    texts = decode_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    if barcode := next((text for text in texts if is_aamva(text)), None):
        return DocumentText(barcode=barcode)

    def checks_hold(lines: list[str]) -> bool:
        document = parse_mrz(lines, today)
        return bool(document.check_digits) and all(c.valid for c in document.check_digits)

    reading = read_zone(data, max_bytes=max_bytes, max_pixels=max_pixels, accept=checks_hold)
    return DocumentText(zone=tuple(reading.lines), name_unsure=reading.name_unsure)


def clean(text: str) -> str:
    """Return a recogniser's line in the zone's alphabet: upper case, no spaces, chevrons as <."""
    return _NOT_ZONE.sub("", text.upper().translate(_FIXES))


def as_letters(lines: list[str]) -> list[str]:
    """Return the lines with digits read in the letter-only fields taken as letters, and the
    name's padding read as padding.

    A name is written with single fillers between its parts and two between family and given
    names (9303 part 3), so after three fillers in a row the field holds nothing but fillers:
    a letter there is a chevron misread (K, X...), never a name.
    """
    layout = layout_of(tuple(lines))
    rows = [list(line) for line in lines]
    for name in _LETTER_FIELDS:
        line, start, end = layout.fields[name]
        rows[line][start:end] = lines[line][start:end].translate(_AS_LETTER)
    line, start, end = layout.fields["name"]
    name = "".join(rows[line][start:end])
    if (padding := name.find("<<<")) >= 0:
        rows[line][start + padding : end] = "<" * (end - start - padding)
    return ["".join(row) for row in rows]


def _ppocr(lines: list[Image.Image]) -> list[str]:
    from gangway.imaging.ppocr import recognise_lines

    return [text for text, _ in recognise_lines(lines)]


def _ppocr_again(lines: list[Image.Image]) -> list[str]:
    from gangway.imaging.ppocr import SECOND_STRETCH, recognise_lines

    lines = [line.filter(ImageFilter.MedianFilter(3)) for line in lines]
    return [text for text, _ in recognise_lines(lines, SECOND_STRETCH)]


def _tesseract(lines: list[Image.Image]) -> list[str]:
    from gangway.imaging.tesseract import PSM_SINGLE_LINE, recognise

    return [recognise(line, psm=PSM_SINGLE_LINE) for line in lines]


ENGINES: dict[str, Engine] = {"ppocr": _ppocr, "tesseract": _tesseract}
# The second reading of the name's line (tesseract, measured only, would read the same again).
AGAIN: dict[str, Engine] = {"ppocr": _ppocr_again}
