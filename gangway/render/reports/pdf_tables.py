"""The report PDF's tables: every cell a Paragraph, so long text wraps inside its own column.

Column widths follow a browser's automatic table layout: when the table fits the page each column
gets its natural width; otherwise each keeps at least its longest heading word (a heading such as
"Visitors" never breaks into "Visi/tor/s") and the columns with the most text share the rest.
A word longer than its column is split between characters (reportlab's splitLongWords).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table, TableStyle

from gangway.render.cards.fonts import face, split_runs

CELL_SIZE = 8
PADDING = 2 * 6 + 1  # reportlab's cell padding, left and right, and a point to spare


def esc(value: object) -> str:
    """Escape text for a Paragraph, switching to the fallback face for glyphs DejaVu lacks."""
    regular = face("regular").name
    return "".join(
        escape(r.text)
        if r.face.name == regular
        else f'<font name="{r.face.name}">{escape(r.text)}</font>'
        for r in split_runs(str(value), "regular")
    )


def table(rows: list[tuple], width: float) -> Table:
    """Return a table of `rows` (headings first) at most `width` points wide.

    A cell is a value or a tuple of lines (each line starts on a new line of the cell).
    """
    cells = [[_lines(value) for value in row] for row in rows]
    if len(cells) == 1:
        cells.append([("None",)] + [()] * (len(cells[0]) - 1))
    regular, bold = face("regular").name, face("bold").name
    body = ParagraphStyle("cell", fontName=regular, fontSize=CELL_SIZE, leading=CELL_SIZE + 2)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    data = [
        [Paragraph("<br/>".join(esc(line) for line in cell), head if i == 0 else body)
         for cell in row]
        for i, row in enumerate(cells)
    ]  # fmt: skip
    result = Table(data, colWidths=column_widths(cells, width), repeatRows=1, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, "#999999"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def column_widths(rows: list[list[tuple[str, ...]]], available: float) -> list[float]:
    """Return each column's width in points for cells given as lines (headings first).

    Columns whose text fits an equal share of what is left get their natural width, smallest
    first; the others share the rest equally, each keeping at least its longest heading word.
    """
    natural, minimum = _natural_and_minimum(rows, available)
    widths = list(natural)
    left, open_ = available, set(range(len(natural)))
    while open_:
        share = left / len(open_)
        fitting = {c for c in open_ if natural[c] <= share}
        if not fitting:
            break
        left -= sum(natural[c] for c in fitting)
        open_ -= fitting
    if open_:
        share = left / len(open_)
        for column in open_:
            widths[column] = max(share, minimum[column])
    total = sum(widths)
    return widths if total <= available else [w * available / total for w in widths]


def _natural_and_minimum(rows, available: float) -> tuple[list[float], list[float]]:
    """Return each column's widest line and its narrowest possible width (padding included)."""
    regular, bold = face("regular").name, face("bold").name
    count = len(rows[0])
    cap = available / count  # a long word in a cell may be split; a heading word never is
    natural, minimum = [0.0] * count, [0.0] * count
    for index, row in enumerate(rows):
        font = bold if index == 0 else regular
        for column, lines in enumerate(row):
            for line in lines:
                natural[column] = max(natural[column], _width(line, font))
                word = max((_width(w, font) for w in line.split()), default=0.0)
                minimum[column] = max(minimum[column], word if index == 0 else min(word, cap))
    natural = [n + PADDING for n in natural]
    return natural, [min(m + PADDING, n) for m, n in zip(minimum, natural, strict=True)]


def _lines(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(str(line) for line in value)
    return (str(value),)


def _width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, CELL_SIZE)
