"""Draw the muster list as an A4 PDF: ship, time, counts, then one table per kind of person.

Each row has an empty box in the "Present" column to tick people off at the muster station, the
full boarding time and every word of the name and company: long texts wrap onto more lines of
the same row, never cut and never over the next column. Every page repeats the list's title, the
time it was taken and the column headings. Text uses the badge cards' embedded TrueType faces
(DejaVu, CJK fallback), so every name prints.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from gangway.render.cards.fonts import face, split_runs
from gangway.render.cards.wrap import runs_width, wrap_text

if TYPE_CHECKING:  # the shape only: services build it, this module draws it
    from gangway.services.reports.muster import Muster

MARGIN = 15 * mm
SIZE = 9  # table text, points
LINE = 4 * mm  # one line of table text
PAD = 1.2 * mm  # above and below the text of a row
GAP = 2 * mm  # between columns
BOX = 4 * mm  # the tick box
#: (heading, left edge in mm from the margin, width in mm); the first is the tick box
COLUMNS = (("Present", 0, 17), ("Name", 17, 50), ("Rank / company", 67, 46),
           ("Boarded (UTC)", 113, 34), ("Access point", 147, 33))  # fmt: skip


def render_muster_pdf(muster: Muster) -> bytes:
    """Return the muster list as an A4 portrait PDF, as many pages as it takes."""
    buffer = BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, invariant=True, pageCompression=True,
        initialFontName=face("regular").name,
    )  # fmt: skip
    canvas.setTitle(f"Muster list · {muster.ship_name}")
    canvas.setCreator("Gangway")
    sheet = _Sheet(canvas, muster)
    y = sheet.first_page()
    if not muster.groups:
        _draw(canvas, MARGIN, y, "Nobody is recorded on board.", "regular", 11)
    for kind, persons in muster.groups:
        title = f"{kind.capitalize()} ({len(persons)})"
        y = sheet.room(y, 2 * LINE + _row_height(_cells(persons[0])) if persons else 0)
        _draw(canvas, MARGIN, y, title, "bold", 12)
        y = _header(canvas, y - 7 * mm)
        for person in persons:
            cells = _cells(person)
            height = _row_height(cells)
            if y - height < MARGIN + 8 * mm:
                y = _header(canvas, sheet.next_page(f"{title}, continued"))
            _row(canvas, y, cells, height)
            y -= height
        y -= 6 * mm
    sheet.finish()
    canvas.save()
    return buffer.getvalue()


class _Sheet:
    """The pages: the first with the title and counts, each with its heading and number."""

    def __init__(self, canvas: Canvas, muster: Muster):
        self.canvas, self.muster, self.page = canvas, muster, 1

    def first_page(self) -> float:
        canvas, muster = self.canvas, self.muster
        y = A4[1] - MARGIN
        title = f"Muster list · {muster.ship_name}"
        _draw(canvas, MARGIN, y, title, "bold", 16, A4[0] - 2 * MARGIN)
        y -= 8 * mm
        _draw(canvas, MARGIN, y, f"Taken at {muster.taken_at:%Y-%m-%d %H:%M} UTC", "regular", 11)
        y -= 6 * mm
        counts = ", ".join(f"{kind} {n}" for kind, n in muster.counts.items())
        _draw(canvas, MARGIN, y, f"On board: {muster.total} ({counts})", "bold", 11)
        return y - 10 * mm

    def next_page(self, heading: str) -> float:
        """Close this page and start the next; return where its first row goes."""
        self._footer()
        self.canvas.showPage()
        self.page += 1
        muster = self.muster
        line = f"Muster list · {muster.ship_name} · taken at {muster.taken_at:%Y-%m-%d %H:%M} UTC"
        y = A4[1] - MARGIN
        _draw(self.canvas, MARGIN, y, line, "regular", 9, A4[0] - 2 * MARGIN)
        _draw(self.canvas, MARGIN, y - 7 * mm, heading, "bold", 12, A4[0] - 2 * MARGIN)
        return y - 14 * mm

    def room(self, y: float, needed: float) -> float:
        """Start a new page unless `needed` points fit above the bottom margin."""
        if y - needed < MARGIN + 8 * mm:
            return self.next_page("") + 7 * mm
        return y

    def finish(self) -> None:
        self._footer()
        self.canvas.showPage()

    def _footer(self) -> None:
        self.canvas.setFont(face("regular").name, 8)
        self.canvas.drawRightString(A4[0] - MARGIN, MARGIN - 4 * mm, f"Page {self.page}")


def _cells(person) -> list[list[str]]:
    """Return the lines of each column of a person's row (the tick box has none)."""
    movement = person.aboard_movement
    note = person.rename_note(movement.occurred_at)  # renamed since boarding: say so
    texts = (
        f"{person.display_name} ({note})" if note else person.display_name,
        person.rank or person.company or "",
        f"{movement.occurred_at:%Y-%m-%d %H:%M}",
        movement.access_point.name,
    )
    return [[]] + [
        wrap_text(text, (width * mm) - GAP, _measure)
        for (_, _, width), text in zip(COLUMNS[1:], texts, strict=True)
    ]


def _measure(text: str) -> float:
    return runs_width(text, "regular", SIZE)


def _row_height(cells: list[list[str]]) -> float:
    return max(BOX + 2 * PAD, max(len(lines) for lines in cells) * LINE + 2 * PAD)


def _row(canvas: Canvas, y: float, cells: list[list[str]], height: float) -> None:
    """Draw one person's row below `y`: the tick box, the wrapped cells, a rule underneath."""
    canvas.setLineWidth(0.8)
    canvas.rect(MARGIN + 2 * mm, y - PAD - BOX, BOX, BOX)
    baseline = y - PAD - SIZE * 0.8
    for (_, left, _), lines in zip(COLUMNS, cells, strict=True):
        for index, line in enumerate(lines):
            _draw(canvas, MARGIN + left * mm, baseline - index * LINE, line, "regular", SIZE)
    canvas.setLineWidth(0.3)
    canvas.line(MARGIN, y - height, A4[0] - MARGIN, y - height)


def _header(canvas: Canvas, y: float) -> float:
    """Draw the column headings at `y`; return where the first row starts."""
    for heading, left, _ in COLUMNS:
        _draw(canvas, MARGIN + left * mm, y, heading, "bold", SIZE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y - 1.5 * mm, A4[0] - MARGIN, y - 1.5 * mm)
    return y - 1.5 * mm


def _draw(canvas: Canvas, x: float, y: float, text: str, role: str, size: float, width=None):
    """Draw one line in runs of one face each; a title wider than `width` points shrinks."""
    text = " ".join(text.split())
    if width is not None and (natural := runs_width(text, role, size)) > width:
        size = size * width / natural
    for run in split_runs(text, role):
        canvas.setFont(run.face.name, size)
        canvas.drawString(x, y, run.text)
        x += pdfmetrics.stringWidth(run.text, run.face.name, size)
