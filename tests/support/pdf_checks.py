"""Read PDFs the way a person sees them: text (poppler's pdftotext), word boxes, drawn boxes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import re
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.support.tools import require_tool

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    """A word as pdftotext found it: its box in points from the page's top left corner."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pdf_text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    """Return the PDF's text (pdftotext, with `options` such as -layout or -raw)."""
    require_tool("pdftotext")
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", *options, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def words(pdf: bytes, tmp_path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Return every word with its box, and each page's (width, height)."""
    found, pages = [], []
    for number, (width, height, body) in enumerate(_PAGE.findall(pdf_text(pdf, tmp_path, "-bbox"))):
        pages.append((float(width), float(height)))
        for x0, y0, x1, y1, text in _WORD.findall(body):
            box = (float(x0), float(y0), float(x1), float(y1))
            found.append(Word(number, *box, html.unescape(text)))
    return found, pages


def overlapping(found: list[Word]) -> list[tuple[Word, Word]]:
    """Return pairs of words drawn over each other (on one line, their boxes intersect)."""
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for word in found:
        by_page.setdefault(word.page, []).append(word)
    for page in by_page.values():
        page.sort(key=lambda w: w.x0)
        for i, a in enumerate(page):
            for b in page[i + 1 :]:
                if b.x0 >= a.x1 - 0.5:
                    break
                shared = min(a.y1, b.y1) - max(a.y0, b.y0)
                if shared > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0):
                    pairs.append((a, b))
    return pairs


def outside(found: list[Word], pages: list[tuple[float, float]], margin: float = 20) -> list[Word]:
    """Return the words that reach into the page's edge (`margin` points; A4's is 42)."""
    return [
        w
        for w in found
        if w.x0 < margin or w.x1 > pages[w.page][0] - margin or w.y1 > pages[w.page][1]
    ]


def rectangles(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """Return every rectangle path (x, y, width, height) the pages' content streams draw."""
    found = []
    for stream in re.findall(rb"\bstream\r?\n(.*?)endstream", pdf, re.S):
        content = stream
        if content.rstrip().endswith(b"~>"):  # reportlab's ASCII85 wrapping, then Flate
            try:
                content = base64.a85decode(content.rstrip(), adobe=True)
            except (ValueError, binascii.Error):
                continue
        with contextlib.suppress(zlib.error):
            content = zlib.decompressobj().decompress(content)
        for numbers in re.findall(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\b", content):
            found.append(tuple(float(n) for n in numbers))
    return found
