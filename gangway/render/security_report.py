"""The Security Report as an A4 PDF laid out like the circular's form: numbered boxes, the last
ten calls and the ship-to-ship activities as tables, signed and carrying the chain head.

Drawn from the report's JSON values (gangway.services.reports.security_report), so that the
PDF says exactly what the API says; the chain head is on every page.
"""

from __future__ import annotations

from io import BytesIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gangway.render.cards.fonts import face
from gangway.render.reports.pdf_tables import esc, table

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN - 12
BOXES = (16 * mm, 72 * mm)  # the number and the item; the entry takes the rest
CALLS_HEADER = ("No.", "From", "To", "Port, country, facility", "UN/LOCODE", "Level")
STS_HEADER = ("From", "To", "Where", "Other ship", "Level", "Measures kept", "DoS")


def when(value: str | None, empty: str = "—") -> str:
    """Format an ISO time as the form prints it ("2026-12-10 06:00 UTC"); a date stays a date."""
    if not value:
        return empty
    return value[:10] if len(value) == 10 else f"{value[:16].replace('T', ' ')} UTC"


def when_local(value: str | None, local: str | None, empty: str = "—") -> str:
    """Format a time in UTC and, where the port's time zone is known, its local clock time."""
    if not value:
        return empty
    return f"{when(value)} ({local[:16].replace('T', ' ')} local)" if local else when(value)


def value_text(item: dict) -> str:
    """Return a single item's value in words, as the form shows it."""
    value, number = item.get("value"), item["number"]
    if number == "2.2":
        return when(value)
    if isinstance(value, dict):
        if number == "3.1.1":
            return f"{value['issuer'] or '—'}, expires on {when(value['expires_on'])}"
        return ", ".join(str(v) for v in value.values() if v) or "—"
    if value is True or value is False:
        return "Yes" if value else "No"
    return "—" if value in (None, "") else str(value)


def item_rows(item: dict) -> list[tuple]:
    """Return a table item's rows, headings first (3.3, 3.4), or its lines (3.3.2)."""
    if item["number"] == "3.3":
        return [CALLS_HEADER] + [
            (r["number"], when_local(r["date_from"], r["date_from_local"]),
             when_local(r["date_to"], r["date_to_local"], "in port"),
             ", ".join(p for p in (r["port"], r["country"], r["facility"]) if p),
             r["unlocode"] or "—", r["security_level"])
            for r in item["rows"]
        ]  # fmt: skip
    if item["number"] == "3.4":
        return [STS_HEADER] + [
            (when(s["date_from"]), when(s["date_to"]), s["location"],
             " · ".join(p for p in (s["other_ship_name"], s["other_ship_imo"],
                                    s["other_ship_flag"]) if p),
             s["security_level"], s["measures"], s["declaration_of_security"] or "None")
            for s in item["rows"]
        ]  # fmt: skip
    return [
        (f"Call {r['number']}, {r['port']}: " + " ".join(m["text"] for m in r["measures"]),)
        for r in item["rows"]
    ]


def render_security_report_pdf(report: dict) -> bytes:
    """Return the Security Report as an A4 portrait PDF."""
    regular, bold = face("regular").name, face("bold").name
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    heading = ParagraphStyle("h", parent=body, fontName=bold, fontSize=11, leading=15,
                             keepWithNext=True, spaceBefore=6)  # fmt: skip
    title = ParagraphStyle("t", parent=heading, fontSize=15, leading=19)
    story = [Paragraph("Security Report", title), Paragraph(esc(report["form"]), body)]
    for section in report["sections"]:
        story.append(Paragraph(esc(f"{section['number']}. {section['title']}"), heading))
        simple = []
        for item in section["items"]:
            if "rows" not in item:
                simple.append((item["number"], item["label"], value_text(item)))
                continue
            story += _flush(simple, body) + [_boxes([(item["number"], item["label"], "")], body)]
            rows = item_rows(item)
            if item["number"] == "3.3.2":
                story += [Paragraph(esc(line[0]), body) for line in rows] or [Paragraph("—", body)]
            else:
                story.append(table(rows, WIDTH))
        story += _flush(simple, body)
    lines = [*signature(report), "Signature: ______________________________"]
    story.append(KeepTogether([Spacer(1, 6 * mm), *(Paragraph(esc(t), body) for t in lines)]))
    return _build(story, report, regular)


def signature(report: dict) -> list[str]:
    """Return the signature block's lines: who made it from the records, when, the chain head."""
    signed = report["signed_by"]
    lines = [f"Signed: {signed['name']} ({signed['role'].upper()}), {when(signed['signed_at'])}"]
    head = report["chain_head"]
    if head:
        lines.append(f"Audit chain head: {head['short']} (SHA-256 {head['entry_hash']})")
    return lines


def _flush(simple: list[tuple], style) -> list:
    """Return the pending simple items as one table of numbered boxes, and forget them."""
    if not simple:
        return []
    out = [_boxes(simple, style)]
    simple.clear()
    return out


def _boxes(rows: list[tuple], style) -> Table:
    """Return (number, item, entry) rows as the form's boxes: the same widths in every section."""
    cells = [[Paragraph(esc(v), style) for v in row] for row in rows]
    boxes = Table(cells, colWidths=[*BOXES, WIDTH - sum(BOXES)], hAlign="LEFT")
    boxes.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (1, -1), "#f0f0f0"),
    ]))  # fmt: skip
    return boxes


def _build(story: list, report: dict, font: str) -> bytes:
    head = report["chain_head"]
    footer = f"Audit chain head {head['short']}" if head else ""

    def on_page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 4, f"Page {canvas.getPageNumber()}")
        canvas.drawString(MARGIN, MARGIN - 4, footer)
        canvas.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                            title="Security Report", invariant=True)  # fmt: skip
    a85, rl_config.useA85 = rl_config.useA85, 0  # ASCII85 is pure Python: slow
    try:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    finally:
        rl_config.useA85 = a85
    return buffer.getvalue()
