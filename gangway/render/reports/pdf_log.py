"""The report PDF's movement log: rows drawn straight onto the canvas, split page by page.

100,000 movements make ~2,500 pages, so the log is not a platypus Table: its rows are PDF text
operators written in one go. A cell wider than its column wraps onto more lines of the same row
(never cut, never over the next column); each distinct name, purpose or access point is measured
and wrapped once, and the rows' heights are summed once, so splitting a page costs O(log rows).
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from gangway.render.cards.fonts import face, split_runs
from gangway.render.cards.wrap import runs_width, wrap_text
from gangway.render.reports import text

ROW = 3.6 * mm  # a row of one line
LINE = 2.8 * mm  # each further line of a wrapped row
LOG_SIZE = 6.5
LOG_FONT = "Helvetica"  # a standard font: no subsetting, so the long log stays fast
GAP = 1.5 * mm  # kept free at the right of each column
MAX_LINES = 60  # a cell is cut after this many lines, so any row fits on one page
#: (heading, left edge in mm from the margin, width in mm)
LOG_COLUMNS = (("Time (UTC)", 0, 26), ("Dir.", 26, 11), ("Kind", 37, 16), ("Name", 53, 44),
               ("Purpose", 97, 30), ("Access point", 127, 25), ("Method", 152, 12),
               ("Srch/Esc", 164, 16))  # fmt: skip


class _Cells(dict):
    """One column's values, each wrapped once: value -> (lines, their PDF literals or None).

    The literals are None for a value Helvetica's WinAnsi cannot encode: it is drawn in the
    embedded faces (slow path) and measured in them.
    """

    def __init__(self, width_mm: float):
        super().__init__()
        self.width = width_mm * mm - GAP

    def __missing__(self, value: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
        slow = _literal(value) is None
        measure = _embedded if slow else _helvetica
        lines = tuple(wrap_text(value, self.width, measure)[:MAX_LINES])
        literals = None if slow else tuple(_literal(line) for line in lines)
        self[value] = lines, literals
        return lines, literals


def _helvetica(value: str) -> float:
    return pdfmetrics.stringWidth(value, LOG_FONT, LOG_SIZE)


def _embedded(value: str) -> float:
    return runs_width(value, "regular", LOG_SIZE)


class _Layout:
    """The log's rows, their wrapped cells and where each row starts (points from the top)."""

    def __init__(self, rows):
        self.rows = rows
        self.columns = [_Cells(width) for _, _, width in LOG_COLUMNS[1:]]  # the time always fits
        d, k, n, p, a, m, _ = self.columns  # the search/escort marks are 3 characters
        lines = (
            max(len(d[r.direction][0]), len(k[r.kind][0]), len(n[r.person_name][0]),
                len(p[r.purpose or ""][0]), len(a[r.access_point][0]), len(m[r.method][0]))
            for r in rows
        )  # fmt: skip
        self.top = [0.0, *accumulate(ROW if c <= 1 else ROW + (c - 1) * LINE for c in lines)]


class MovementLog(Flowable):
    """The movement log from row `start` to `stop`, headed by the column names."""

    def __init__(self, rows, start: int = 0, stop: int | None = None, layout=None):
        super().__init__()
        self.layout = layout or _Layout(rows)
        self.start = start
        self.stop = len(rows) if stop is None else stop

    def wrap(self, avail_width, avail_height):
        top = self.layout.top
        self.width = avail_width
        self.height = ROW + top[self.stop] - top[self.start]  # one line for the headings
        return self.width, self.height

    def split(self, avail_width, avail_height):
        top = self.layout.top
        cut = bisect_right(top, top[self.start] + avail_height - ROW) - 1
        cut = min(cut, self.stop)
        if cut <= self.start:
            return []
        rows, layout = self.layout.rows, self.layout
        return [
            MovementLog(rows, self.start, cut, layout),
            MovementLog(rows, cut, self.stop, layout),
        ]

    def draw(self):
        canvas, layout = self.canv, self.layout
        regular, bold = face("regular").name, face("bold").name
        y = self.height - ROW + 1
        canvas.setFont(bold, LOG_SIZE)
        for heading, left, _ in LOG_COLUMNS:
            canvas.drawString(left * mm, y, heading)
        canvas.setFont(LOG_FONT, LOG_SIZE)  # registers the font on this page's resources
        # Operators written straight into the page: drawString costs ~70 us a cell in pure-Python
        # reportlab; this is ~2 us. Cells Helvetica's WinAnsi cannot encode take the slow path.
        ops, slow = [f"BT {canvas._doc.getInternalFontName(LOG_FONT)} {LOG_SIZE} Tf"], []
        lefts = [left * mm for _, left, _ in LOG_COLUMNS[1:]]
        columns = list(zip(lefts, [f"{x:.2f}" for x in lefts], layout.columns, strict=True))
        top, rows, origin, first = layout.top, layout.rows, layout.top[self.start], y - ROW
        for index in range(self.start, self.stop):
            row_y = first - (top[index] - origin)
            values = text.log_cells(rows[index])
            ops.append(f"1 0 0 1 0 {row_y:.2f} Tm ({values[0]}) Tj")  # the time: ASCII digits
            for (x, x_text, column), value in zip(columns, values[1:], strict=True):
                if not value:
                    continue
                lines, literals = column[value]
                if literals is None:
                    slow += [(x, row_y - i * LINE, line) for i, line in enumerate(lines)]
                    continue
                line_y = row_y
                for literal in literals:
                    ops.append(f"1 0 0 1 {x_text} {line_y:.2f} Tm ({literal}) Tj")
                    line_y -= LINE
        ops.append("ET")
        canvas._code.append("\n".join(ops))
        for x, line_y, line in slow:
            _runs(canvas, x, line_y, line, regular)


def _literal(value: str) -> str | None:
    """Return a PDF string literal body in WinAnsi (octal escapes), or None if it cannot be."""
    if not value.isprintable():
        value = " ".join(value.split())
    if value.isascii():
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    try:
        raw = value.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return "".join(_WINANSI[b] for b in raw)


_WINANSI = [chr(b) if 32 <= b < 127 and chr(b) not in "\\()" else f"\\{b:03o}" for b in range(256)]


def _runs(canvas, x: float, y: float, value: str, regular: str) -> None:
    """Draw a line in the embedded faces, with the CJK fallback where DejaVu has no glyph."""
    for run in split_runs(value, "regular"):
        canvas.setFont(run.face.name, LOG_SIZE)
        canvas.drawString(x, y, run.text)
        x += canvas.stringWidth(run.text, run.face.name, LOG_SIZE)
    canvas.setFont(LOG_FONT, LOG_SIZE)
