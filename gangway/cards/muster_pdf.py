"""Draw the muster list as an A4 PDF: ship, time, counts, then one table per kind of person.

Text uses the badge cards' embedded TrueType faces (DejaVu, CJK fallback), so every name prints.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..services.muster import Muster
from .fonts import ELLIPSIS, face, split_runs

MARGIN = 15 * mm
ROW = 6 * mm
#: (heading, left edge in mm from the margin, width in mm)
COLUMNS = (("Name", 0, 62), ("Rank / company", 62, 44), ("Boarded (UTC)", 106, 32),
           ("Access point", 138, 42))  # fmt: skip


def render_muster_pdf(muster: Muster) -> bytes:
    """Return the muster list as an A4 portrait PDF, as many pages as it takes."""
    buffer = BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, invariant=True, pageCompression=True,
        initialFontName=face("regular").name,
    )  # fmt: skip
    canvas.setTitle(f"Muster list · {muster.ship_name}")
    canvas.setCreator("Gangway")
    y = A4[1] - MARGIN
    _draw(canvas, MARGIN, y, f"Muster list · {muster.ship_name}", "bold", 16)
    y -= 8 * mm
    _draw(canvas, MARGIN, y, f"Taken at {muster.taken_at:%Y-%m-%d %H:%M} UTC", "regular", 11)
    y -= 6 * mm
    counts = ", ".join(f"{kind} {n}" for kind, n in muster.counts.items())
    _draw(canvas, MARGIN, y, f"On board: {muster.total} ({counts})", "bold", 11)
    y -= 10 * mm
    if not muster.groups:
        _draw(canvas, MARGIN, y, "Nobody is recorded on board.", "regular", 11)
    for kind, persons in muster.groups:
        y = _room(canvas, y, 3)
        _draw(canvas, MARGIN, y, f"{kind.capitalize()} ({len(persons)})", "bold", 12)
        y = _header(canvas, y - ROW)
        for person in persons:
            if y < MARGIN + ROW:
                canvas.showPage()
                y = _header(canvas, A4[1] - MARGIN)
            movement = person.aboard_movement
            cells = (
                person.display_name,
                person.rank or person.company or "",
                f"{movement.occurred_at:%Y-%m-%d %H:%M}",
                movement.access_point.name,
            )
            for (_, left, width), text in zip(COLUMNS, cells, strict=True):
                _draw(canvas, MARGIN + left * mm, y, text, "regular", 9.5, width - 2)
            y -= ROW
        y -= 4 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _room(canvas: Canvas, y: float, rows: int) -> float:
    """Start a new page unless `rows` more rows fit."""
    if y - rows * ROW < MARGIN:
        canvas.showPage()
        return A4[1] - MARGIN
    return y


def _header(canvas: Canvas, y: float) -> float:
    for heading, left, width in COLUMNS:
        _draw(canvas, MARGIN + left * mm, y, heading, "bold", 9.5, width - 2)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 1.5 * mm, A4[0] - MARGIN, y - 1.5 * mm)
    return y - ROW


def _draw(canvas: Canvas, x: float, y: float, text: str, role: str, size: float, max_mm=None):
    """Draw text in runs of one face each, cut with an ellipsis to `max_mm` if given."""
    text = " ".join(text.split())
    if max_mm is not None:
        while text and _width(text, role, size) > max_mm * mm:
            text = text[:-2] + ELLIPSIS if len(text) > 1 else ""
    for run in split_runs(text, role):
        canvas.setFont(run.face.name, size)
        canvas.drawString(x, y, run.text)
        x += pdfmetrics.stringWidth(run.text, run.face.name, size)


def _width(text: str, role: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(r.text, r.face.name, size) for r in split_runs(text, role))
