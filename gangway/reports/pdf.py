"""The end-of-port-call report as an A4 PDF: summary, charts as vector shapes, level timeline,
Declarations of Security, then the full movement log (drawn straight onto the canvas for speed).

Every page carries the ship, port and dates at the top and its page number at the bottom. Text
uses the badge cards' embedded DejaVu faces; log cells outside ASCII go through the CJK fallback.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..cards.fonts import face, split_runs
from ..domain.report_charts import Chart, movements_per_hour_chart, on_board_chart
from ..services.port_call_report import Report
from . import text

MARGIN = 15 * mm
ROW = 3.6 * mm
LOG_SIZE = 6.5
LOG_FONT = "Helvetica"  # a standard font: no subsetting, so the long log stays fast
#: (heading, left edge in mm from the margin, width in mm)
LOG_COLUMNS = (("Time (UTC)", 0, 26), ("Dir.", 26, 11), ("Kind", 37, 16), ("Name", 53, 44),
               ("Purpose", 97, 30), ("Access point", 127, 25), ("Method", 152, 12),
               ("Srch/Esc", 164, 16))  # fmt: skip


def render_report_pdf(report: Report) -> bytes:
    """Return the report as an A4 portrait PDF."""
    regular, bold = face("regular").name, face("bold").name
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    heading = ParagraphStyle("h", parent=body, fontName=bold, fontSize=12, leading=16)
    title = ParagraphStyle("t", parent=heading, fontSize=16, leading=20)
    call = report.call
    story = [
        Paragraph(_esc(f"End-of-port-call security report · {call.ship_name}"), title),
        Paragraph(_esc(text.call_line(call)), body),
        Paragraph(_esc(f"Records hash (SHA-256): {report.content_hash}"), body),
        Spacer(1, 4 * mm),
    ]
    for name, rows in text.summary_tables(report):
        story += [Paragraph(_esc(name), heading), _table(rows, regular, bold), Spacer(1, 3 * mm)]
    story += [
        _drawing(movements_per_hour_chart(report.per_hour), regular),
        _drawing(on_board_chart(report.on_board, call.departed_at), regular),
    ]
    for name, rows in text.record_tables(report):
        story += [Paragraph(_esc(name), heading), _table(rows, regular, bold), Spacer(1, 3 * mm)]
    story += [
        Paragraph(_esc(f"Movement log ({len(report.movements)} movements)"), heading),
        MovementLog(report.movements),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 4 * mm, title=f"Port call report · {call.port_name}",
        author=call.ship_name, invariant=True,
    )  # fmt: skip
    header = text.call_line(call)

    def on_page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(MARGIN, A4[1] - MARGIN, f"{call.ship_name} · {header}"[:150])
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    a85, rl_config.useA85 = rl_config.useA85, 0  # ASCII85 is pure Python: ~60 ms a page
    try:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    finally:
        rl_config.useA85 = a85
    return buffer.getvalue()


def _esc(value: str) -> str:
    """Escape for a Paragraph, switching to the fallback face for glyphs DejaVu lacks."""
    regular = face("regular").name
    return "".join(
        escape(r.text)
        if r.face.name == regular
        else f'<font name="{r.face.name}">{escape(r.text)}</font>'
        for r in split_runs(str(value), "regular")
    )


def _table(rows: list[tuple], regular: str, bold: str) -> Table:
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    data = [
        [Paragraph(_esc(str(v)), head if i == 0 else cell) for v in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, "#999999"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _drawing(chart: Chart, font: str) -> Drawing:
    """Draw a chart's geometry as reportlab vector shapes (y flipped: PDF grows upwards)."""
    scale = (A4[0] - 2 * MARGIN) / chart.width
    h = chart.height
    drawing = Drawing(chart.width * scale, h * scale)
    drawing.scale(scale, scale)
    drawing.add(String(48, h - 16, chart.title, fontName=font, fontSize=11))
    drawing.add(Line(48, h - 28, 48, 40, strokeColor="#333333"))
    drawing.add(Line(48, 40, chart.width - 12, 40, strokeColor="#333333"))
    for y, label in chart.y_labels:
        drawing.add(String(44, h - y - 4, label, fontName=font, fontSize=8, textAnchor="end"))
    for x, label in chart.x_labels:
        drawing.add(String(x, 26, label, fontName=font, fontSize=8))
    drawing.add(String(chart.width / 2, 6, chart.x_title, fontName=font, fontSize=9))
    for bar in chart.bars:
        if bar.height > 0:
            drawing.add(
                Rect(bar.x, h - bar.y - bar.height, bar.width, bar.height,
                     fillColor=bar.fill, strokeColor=None)
            )  # fmt: skip
    if chart.line:
        points = [v for x, y in chart.line for v in (x, h - y)]
        drawing.add(PolyLine(points, strokeColor="#1565c0", strokeWidth=1.5))
    return drawing


class MovementLog(Flowable):
    """The movement log: rows drawn directly onto the canvas, split page by page in O(rows)."""

    def __init__(self, rows, start: int = 0, stop: int | None = None):
        super().__init__()
        self.rows, self.start = rows, start
        self.stop = len(rows) if stop is None else stop

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = ROW * (self.stop - self.start + 1)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        fits = int(avail_height // ROW) - 1  # one line for the column headings
        if fits < 1:
            return []
        cut = min(self.start + fits, self.stop)
        return [MovementLog(self.rows, self.start, cut), MovementLog(self.rows, cut, self.stop)]

    def draw(self):
        canvas = self.canv
        regular, bold = face("regular").name, face("bold").name
        y = self.height - ROW + 1
        canvas.setFont(bold, LOG_SIZE)
        for heading, left, _ in LOG_COLUMNS:
            canvas.drawString(left * mm, y, heading)
        canvas.setFont(LOG_FONT, LOG_SIZE)  # registers the font on this page's resources
        # Operators written straight into the page: drawString costs ~70 us a cell in pure-Python
        # reportlab; this is ~2 us. Cells Helvetica's WinAnsi cannot encode take the slow path.
        ops, slow = [f"BT {canvas._doc.getInternalFontName(LOG_FONT)} {LOG_SIZE} Tf"], []
        limits = [(left * mm, int(width * 10 / LOG_SIZE * 0.62)) for _, left, width in LOG_COLUMNS]
        for index in range(self.start, self.stop):
            y -= ROW
            for (x, limit), value in zip(limits, text.log_cells(self.rows[index]), strict=True):
                if not value:
                    continue
                if len(value) > limit:
                    value = value[: limit - 1] + "…"
                literal = _literal(value)
                if literal is None:
                    slow.append((x, y, value))
                else:
                    ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({literal}) Tj")
        ops.append("ET")
        canvas._code.append("\n".join(ops))
        for x, y, value in slow:
            _runs(canvas, x, y, value, regular)


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
    """Draw a cell in the embedded faces, with the CJK fallback where DejaVu has no glyph."""
    for run in split_runs(value, "regular"):
        canvas.setFont(run.face.name, LOG_SIZE)
        canvas.drawString(x, y, run.text)
        x += canvas.stringWidth(run.text, run.face.name, LOG_SIZE)
    canvas.setFont(LOG_FONT, LOG_SIZE)
