"""Fonts for badge cards: find the TrueType files, split text into runs per face, fit text.

DejaVu Sans covers Latin, Greek and Cyrillic; Droid Sans Fallback (or WenQuanYi Micro Hei) covers
Chinese, Japanese and Korean. Both are TrueType-flavoured, which reportlab needs to embed them.
Each character goes to the first face that has its glyph. Widths come from reportlab's unhinted
metrics, so the PDF matches the fitted size exactly; the PNG backend re-checks with Pillow and
shrinks by the last few per cent if hinting or kerning widened a run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PT_PER_MM = 72 / 25.4
ELLIPSIS = "…"
FAUX_BOLD = 0.035  # stroke width as a share of the size, for a fallback font without a bold face

_DEJAVU = "/usr/share/fonts/truetype/dejavu/"
#: role -> (Debian package, candidate files); the first file that exists wins.
SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "regular": ("fonts-dejavu-core", (_DEJAVU + "DejaVuSans.ttf",)),
    "bold": ("fonts-dejavu-core", (_DEJAVU + "DejaVuSans-Bold.ttf",)),
    "mono": ("fonts-dejavu-core", (_DEJAVU + "DejaVuSansMono-Bold.ttf",)),
    "fallback": (
        "fonts-droid-fallback",
        (
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
        ),
    ),
}
ROLES = ("regular", "bold", "mono")

_lock = threading.Lock()
_faces: dict[str, Face] = {}


@dataclass(frozen=True, eq=False)  # identity: comparing the glyph sets would be slow
class Face:
    """A registered TrueType font: its reportlab name, file and the characters it has glyphs for."""

    name: str
    path: Path
    chars: frozenset[int]

    def covers(self, text: str) -> bool:
        """Tell whether every visible character of `text` has a glyph in this font."""
        return all(ord(char) in self.chars for char in text if not char.isspace())


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn in one face; `faux_bold` strokes a fallback that has no bold."""

    text: str
    face: Face
    faux_bold: bool = False


@dataclass(frozen=True)
class Fitted:
    """A text fitted to a width: what to draw, as runs of one face each, at which size (points)."""

    text: str
    runs: tuple[Run, ...]
    size: float
    truncated: bool = False  # ends in an ellipsis: the text did not fit even at the minimum size

    @property
    def width_mm(self) -> float:
        """Return the drawn width in millimetres."""
        return sum(measure_mm(run, self.size) for run in self.runs)


def face(role: str) -> Face:
    """Return the face for a role ("regular", "bold", "mono" or "fallback"), loading it once.

    :raises RuntimeError: no file for the role exists; the message names the Debian package.
    """
    with _lock:
        if role not in _faces:
            package, candidates = SOURCES[role]
            path = next((Path(p) for p in candidates if Path(p).is_file()), None)
            if path is None:
                raise RuntimeError(
                    f"Badge cards need the {role} font: install the Debian package {package} "
                    f"(apt-get install {package}); looked for {', '.join(candidates)}"
                )
            font = TTFont(f"Gangway-{role}", str(path), subfontIndex=0)
            pdfmetrics.registerFont(font)
            _faces[role] = Face(font.fontName, path, frozenset(font.face.charToGlyph))
        return _faces[role]


def split_runs(text: str, role: str) -> tuple[Run, ...]:
    """Split `text` into runs: the role's face where it has the glyph, else the fallback.

    Droid Sans Fallback has no Latin letters or punctuation at all, so "王, 小明" becomes three
    runs; DejaVu keeps the comma, and a name mixing scripts still renders without tofu.
    """
    primary = face(role)
    runs: list[Run] = []
    for char in text:
        chosen = primary
        if ord(char) not in primary.chars and not char.isspace():
            fallback = face("fallback")
            chosen = fallback if ord(char) in fallback.chars else primary  # neither: tofu
        if runs and runs[-1].face == chosen:
            runs[-1] = Run(runs[-1].text + char, chosen, runs[-1].faux_bold)
        else:
            runs.append(Run(char, chosen, chosen != primary and role != "regular"))
    return tuple(runs)


def measure_mm(run: Run, size: float) -> float:
    """Return the advance width of a run in millimetres (plus the faux-bold stroke)."""
    width = pdfmetrics.stringWidth(run.text, run.face.name, size)
    if run.faux_bold:
        width += FAUX_BOLD * size
    return width / PT_PER_MM


def fit_text(text: str, role: str, size: float, max_width_mm: float, min_size: float) -> Fitted:
    """Shrink `text` from `size` towards `min_size` to fit the width, then ellipsize at min_size."""
    text = " ".join(text.split())  # a newline or tab in a name must not break the layout
    fitted = Fitted(text, split_runs(text, role), size)
    width = fitted.width_mm
    if width <= max_width_mm:
        return fitted
    scaled = int(size * max_width_mm / width * 10) / 10  # round down to 0.1 pt
    if scaled >= min_size:
        return Fitted(text, fitted.runs, scaled)
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis: binary search
    while low < high:
        middle = (low + high + 1) // 2
        if _ellipsized(text, middle, role, min_size).width_mm <= max_width_mm:
            low = middle
        else:
            high = middle - 1
    return _ellipsized(text, low, role, min_size)


def _ellipsized(text: str, keep: int, role: str, size: float) -> Fitted:
    shortened = text[:keep].rstrip(" ,;-") + ELLIPSIS
    return Fitted(shortened, split_runs(shortened, role), size, truncated=True)
