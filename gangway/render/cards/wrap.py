"""Wrap text into lines no wider than a column, for PDFs drawn straight onto the canvas.

Greedy, word by word. A word wider than the column (a badge code typed as a purpose, a URL, a run
of Chinese or Japanese, which has no spaces) is cut between characters, so no line is ever wider
than asked and nothing is drawn over the next column.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase import pdfmetrics

from gangway.render.cards.fonts import split_runs

Measure = Callable[[str], float]


def wrap_text(text: str, width: float, measure: Measure) -> list[str]:
    """Return the lines of `text` (whitespace collapsed) that each fit `width` by `measure`."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and measure(word) > width:
            cut = _longest_fitting_prefix(word, width, measure)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_fitting_prefix(word: str, width: float, measure: Measure) -> int:
    """Return how many leading characters of `word` fit (at least one: a line must advance)."""
    low, high = 1, len(word) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def runs_width(text: str, role: str, size: float) -> float:
    """Return the width in points of `text` drawn in the role's face with the CJK fallback."""
    return sum(pdfmetrics.stringWidth(r.text, r.face.name, size) for r in split_runs(text, role))
