"""The end-of-port-call report as an A4 PDF: summary, charts as vector shapes, every refusal with
its follow-up, level timeline, Declarations of Security, then the full movement log.

Every page carries the ship, port and dates at the top and its page number at the bottom. Text
uses the badge cards' embedded DejaVu faces, with the CJK fallback; long text wraps in its column
(tables: pdf_tables; the log, drawn straight onto the canvas for speed: pdf_log).
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from gangway.domain.reporting.report_charts import Chart, movements_per_hour_chart, on_board_chart
from gangway.render.cards.fonts import face, fit_text
from gangway.render.reports import text
from gangway.render.reports.pdf_log import MovementLog
from gangway.render.reports.pdf_tables import esc, table

if TYPE_CHECKING:  # the shape only: services build it, this module draws it
    from gangway.services.reports.port_call_report import Report

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN - 12  # the frame's width inside its 6-point padding


def render_report_pdf(report: Report) -> bytes:
    """Return the report as an A4 portrait PDF."""
    regular, bold = face("regular").name, face("bold").name
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    heading = ParagraphStyle(
        "h", parent=body, fontName=bold, fontSize=12, leading=16, keepWithNext=True
    )
    title = ParagraphStyle("t", parent=heading, fontSize=16, leading=20)
    call = report.call
    story = [
        Paragraph(esc(f"End-of-port-call security report · {call.ship_name}"), title),
        Paragraph(esc(text.call_line(call)), body),
        Paragraph(esc(f"Records hash (SHA-256): {report.content_hash}"), body),
        *_chain_head(report, body),
        Spacer(1, 4 * mm),
    ]
    for name, rows in text.summary_tables(report):
        story += [Paragraph(esc(name), heading), table(rows, WIDTH), Spacer(1, 3 * mm)]
    story += [
        _drawing(movements_per_hour_chart(report.per_hour), regular),
        _drawing(on_board_chart(report.on_board, call.departed_at), regular),
        Paragraph(esc(f"Refusals and their follow-up ({len(report.refusals)})"), heading),
        Paragraph(esc(text.refusal_note(report)), body),
        table([text.REFUSAL_HEADER, *text.refusal_rows(report)], WIDTH),
        Spacer(1, 3 * mm),
    ]
    for name, rows in text.record_tables(report):
        story += [Paragraph(esc(name), heading), table(rows, WIDTH), Spacer(1, 3 * mm)]
    story += [
        Paragraph(esc(f"Movement log ({len(report.movements)} movements)"), heading),
        MovementLog(report.movements),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 4 * mm, title=f"Port call report · {call.port_name}",
        author=call.ship_name, invariant=True,
    )  # fmt: skip
    header = fit_text(f"{call.ship_name} · {text.call_line(call)}", "regular", 8,
                      (WIDTH - 20 * mm) / mm, 6)  # fmt: skip

    head = report.chain_head

    def on_page(canvas, _doc):
        canvas.saveState()
        x = MARGIN
        for run in header.runs:
            canvas.setFont(run.face.name, header.size)
            canvas.drawString(x, A4[1] - MARGIN, run.text)
            x += canvas.stringWidth(run.text, run.face.name, header.size)
        canvas.setFont(regular, 8)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
        if head:  # on every page: a single page kept off the ship anchors the chain too
            canvas.drawString(MARGIN, MARGIN, f"Audit chain head {head.short}")
        canvas.restoreState()

    a85, rl_config.useA85 = rl_config.useA85, 0  # ASCII85 is pure Python: ~60 ms a page
    try:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    finally:
        rl_config.useA85 = a85
    return buffer.getvalue()


def _chain_head(report: Report, style) -> list:
    """Return the paragraph naming the audit chain's head (none while the chain is empty)."""
    head = report.chain_head
    if head is None:
        return []
    words = f"Audit chain head: {head.short} (SHA-256 {head.entry_hash})"
    return [Paragraph(esc(words), style)]


def _drawing(chart: Chart, font: str) -> Drawing:
    """Draw a chart's geometry as reportlab vector shapes (y flipped: PDF grows upwards)."""
    scale = WIDTH / chart.width
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
