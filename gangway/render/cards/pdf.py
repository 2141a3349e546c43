"""Draw card layouts with reportlab: one card a page, or an A4 sheet of ten with crop marks.

Text is embedded as TrueType subsets with ToUnicode maps (so names can be searched and copied),
and the QR code is drawn as vector squares, sharp at any printer resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from gangway.render.cards.fonts import FAUX_BOLD, face
from gangway.render.cards.ops import CARD_H, CARD_W, Box, Colour, Op, Photo, Qr, Text

COLUMNS, ROWS = 2, 5
GUTTER_X, GUTTER_Y = 4.0, 2.0  # mm between cards: a cut a little off stays on white
MARK_GAP, MARK_LENGTH = 1.5, 5.0  # mm: crop marks start this far outside the grid


def render_card_page(ops: list[Op], title: str) -> bytes:
    """Return a one-page PDF exactly the card's size."""
    buffer = BytesIO()
    canvas = _canvas(buffer, (CARD_W * mm, CARD_H * mm), title)
    draw_ops(canvas, ops, 0, CARD_H * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_sheet(cards: Sequence[list[Op]], title: str) -> bytes:
    """Return an A4 portrait PDF with 2 x 5 cards a page and crop marks, as many pages as needed."""
    buffer = BytesIO()
    canvas = _canvas(buffer, A4, title)
    per_page = COLUMNS * ROWS
    for start in range(0, len(cards), per_page):
        for slot, ops in enumerate(cards[start : start + per_page]):
            left, top = slot_origin(slot)
            draw_ops(canvas, ops, left * mm, A4[1] - top * mm)
        _crop_marks(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def slot_origin(slot: int) -> tuple[float, float]:
    """Return the top-left corner of a sheet slot in mm from the page's top-left corner."""
    grid_w = COLUMNS * CARD_W + (COLUMNS - 1) * GUTTER_X
    grid_h = ROWS * CARD_H + (ROWS - 1) * GUTTER_Y
    row, column = divmod(slot, COLUMNS)
    left = (A4[0] / mm - grid_w) / 2 + column * (CARD_W + GUTTER_X)
    top = (A4[1] / mm - grid_h) / 2 + row * (CARD_H + GUTTER_Y)
    return left, top


def draw_ops(canvas: Canvas, ops: list[Op], left: float, top: float) -> None:
    """Draw a card whose top-left corner is at (left, top) in points from the page's bottom left."""
    canvas.saveState()
    canvas.translate(left, top)  # from here on y is -mm: layout y grows down, PDF y grows up
    for op in ops:
        if isinstance(op, Box):
            _box(canvas, op)
        elif isinstance(op, Text):
            _text(canvas, op)
        elif isinstance(op, Photo):
            image = BytesIO()
            op.image.save(image, "JPEG", quality=92)  # embedded as is (DCTDecode): small files
            canvas.drawImage(
                ImageReader(image), op.x * mm, -(op.y + op.h) * mm, op.w * mm, op.h * mm
            )
        else:
            _qr(canvas, op)
    canvas.restoreState()


def _canvas(buffer: BytesIO, size: tuple[float, float], title: str) -> Canvas:
    # The initial font is named in every page; ours avoids a stray, unembedded Helvetica.
    canvas = Canvas(
        buffer,
        pagesize=size,
        invariant=True,
        pageCompression=True,
        initialFontName=face("regular").name,
    )
    canvas.setTitle(title)
    canvas.setCreator("Gangway")
    return canvas


def _rgb(colour: Colour) -> tuple[float, float, float]:
    return colour[0] / 255, colour[1] / 255, colour[2] / 255


def _box(canvas: Canvas, op: Box) -> None:
    inset = op.line / 2 if op.outline else 0  # PDF strokes straddle the edge; Pillow's are inside
    if op.fill:
        canvas.setFillColorRGB(*_rgb(op.fill))
    if op.outline:
        canvas.setStrokeColorRGB(*_rgb(op.outline))
        canvas.setLineWidth(op.line * mm)
    canvas.rect(
        (op.x + inset) * mm,
        -(op.y + op.h - inset) * mm,
        (op.w - 2 * inset) * mm,
        (op.h - 2 * inset) * mm,
        stroke=1 if op.outline else 0,
        fill=1 if op.fill else 0,
    )


def _text(canvas: Canvas, op: Text) -> None:
    size = op.fitted.size
    widths = [pdfmetrics.stringWidth(run.text, run.face.name, size) for run in op.fitted.runs]
    total = sum(widths) + sum(FAUX_BOLD * size for run in op.fitted.runs if run.faux_bold)
    x = op.x * mm - {"left": 0, "centre": total / 2, "right": total}[op.align]
    canvas.setFillColorRGB(*_rgb(op.colour))
    canvas.setStrokeColorRGB(*_rgb(op.colour))
    for run, width in zip(op.fitted.runs, widths, strict=True):
        # Tr (render mode) is graphics state that outlives the text object: save and restore it.
        canvas.saveState()
        text = canvas.beginText(x, -op.y * mm)
        text.setFont(run.face.name, size)
        if run.faux_bold:  # fill and stroke: a bold look for a fallback font with no bold face
            canvas.setLineWidth(FAUX_BOLD * size)
            text.setTextRenderMode(2)
        text.textOut(run.text)
        canvas.drawText(text)
        canvas.restoreState()
        x += width + (FAUX_BOLD * size if run.faux_bold else 0)


def _qr(canvas: Canvas, op: Qr) -> None:
    """Fill one rectangle per horizontal run of dark modules: no hairline seams in viewers."""
    module = op.size / len(op.modules) * mm
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(op.modules):
        y = -op.y * mm - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            end = column
            while end < len(row) and row[end]:
                end += 1
            path.rect(op.x * mm + column * module, y, (end - column) * module, module)
            column = end
    canvas.drawPath(path, stroke=0, fill=1)


def _crop_marks(canvas: Canvas) -> None:
    """Draw thin marks along every cut line: in the page margins and the middle gutter."""
    grid_left, grid_top = slot_origin(0)
    grid_right = slot_origin(COLUMNS - 1)[0] + CARD_W
    grid_bottom = slot_origin(COLUMNS * ROWS - 1)[1] + CARD_H
    cuts_x = sorted({slot_origin(c)[0] + dx for c in range(COLUMNS) for dx in (0, CARD_W)})
    cuts_y = sorted({slot_origin(r * COLUMNS)[1] + dy for r in range(ROWS) for dy in (0, CARD_H)})
    near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
    lines = []
    for x in cuts_x:
        lines.append((x, grid_top - near, x, grid_top - far))
        lines.append((x, grid_bottom + near, x, grid_bottom + far))
    for y in cuts_y:
        lines.append((grid_left - near, y, grid_left - far, y))
        lines.append((grid_right + near, y, grid_right + far, y))
        for column in range(1, COLUMNS):  # a short mark centred in each gap between columns
            middle = slot_origin(column)[0] - GUTTER_X / 2
            lines.append((middle - GUTTER_X / 4, y, middle + GUTTER_X / 4, y))
    page_h = A4[1] / mm
    canvas.setStrokeColorRGB(0.35, 0.35, 0.35)
    canvas.setLineWidth(0.25)
    canvas.lines([(a * mm, (page_h - b) * mm, c * mm, (page_h - d) * mm) for a, b, c, d in lines])
