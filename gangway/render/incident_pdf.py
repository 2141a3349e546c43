"""The one-page incident report of a refused entry (33 CFR 104.235(b)(3) fields), with reportlab.

The content is shrunk to fit one A4 page (KeepInFrame), so a long description can never push
the signatures onto a second sheet. Text uses the badge cards' TrueType faces, with the CJK
fallback per run, so names print as written.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gangway.domain.ship.follow_ups import direction_word, port_text, reason_labels, utc_text
from gangway.render.cards.fonts import face, split_runs

if TYPE_CHECKING:  # the shape only: services build it, this module draws it
    from gangway.services.ship.refusals import RefusalEntry

MARGIN = 18 * mm


def render_incident_report(entry: RefusalEntry, ship_name: str) -> bytes:
    """Return the incident report of one refusal as a one-page A4 PDF."""
    regular = ParagraphStyle("cell", fontName=face("regular").name, fontSize=10, leading=13)
    label = ParagraphStyle("label", parent=regular, fontName=face("bold").name)
    title = ParagraphStyle("title", parent=label, fontSize=16, leading=20)
    refusal, latest = entry.refusal, entry.latest
    table = Table(
        [
            (Paragraph(_markup(name), label), Paragraph(_markup(value or "—"), regular))
            for name, value in _fields(entry, ship_name)
        ],
        colWidths=[55 * mm, A4[0] - 2 * MARGIN - 55 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
                ("BACKGROUND", (0, 0), (0, -1), "#eeeeee"),
            ]
        )
    )
    status = "Acknowledged" if latest else "NOT YET ACKNOWLEDGED by the SSO"
    story = [
        Paragraph(_markup(f"Incident report: refused entry r-{refusal.id}"), title),
        Paragraph(_markup(f"{ship_name} · {status}"), regular),
        Spacer(1, 6 * mm),
        table,
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Incident report r-{refusal.id}",
        author=ship_name,
    )
    frame = KeepInFrame(doc.width, doc.height, story, mode="shrink")
    doc.build([frame])
    return buffer.getvalue()


def _fields(entry: RefusalEntry, ship_name: str) -> list[tuple[str, str | None]]:
    refusal, latest = entry.refusal, entry.latest
    call = entry.port_call
    port = ", ".join(filter(None, [call.port_name, call.facility_name])) if call else None
    by = entry.acknowledged_by.get(latest.acknowledged_by_id) if latest else None
    zone = call.timezone if call else None

    def when(value) -> str | None:
        """Return a time in UTC with the port's local time, as the page shows it."""
        if not value:
            return None
        local = port_text(value, zone)
        return f"{utc_text(value)} ({local} port time)" if local else utc_text(value)

    # The reasons in words: the recorded message, then any further reason by its label.
    reasons = "\n".join([refusal.reason_message, *reason_labels(refusal.reason_codes)[1:]])
    return [
        ("Ship", ship_name),
        ("Date and time", _stamp(refusal.occurred_at, port_text(refusal.occurred_at, zone))),
        ("Location in port", (latest and latest.location_in_port) or port),
        ("Location on vessel", (latest and latest.location_on_vessel) or refusal.access_point.name),
        ("Direction", direction_word(refusal.direction)),
        ("Reason for refusal", reasons),
        ("Person", refusal.recorded_name or "Unknown"),
        ("Presented", refusal.scanned_text[:300]),
        ("Recorded by (watch)", entry.recorded_by.display_name if entry.recorded_by else None),
        ("Description", latest and latest.description),
        ("Reported to CSO", when(latest and latest.reported_to_cso_at)),
        ("Reported to PFSO", when(latest and latest.reported_to_pfso_at)),
        (
            "Reported to authorities",
            " — ".join(
                filter(
                    None,
                    [
                        latest and latest.authorities,
                        when(latest and latest.reported_to_authorities_at),
                    ],
                )
            ),
        ),
        ("Response taken", latest and latest.response),
        (
            "Acknowledged by",
            f"{by.display_name if by else '?'}, {when(latest.acknowledged_at)}" if latest else None,
        ),
    ]


def _stamp(at, local: str | None) -> str:
    """Return the refusal's time to the second in UTC, with the port's local time."""
    return f"{at:%Y-%m-%d %H:%M:%S} UTC" + (f" ({local} port time)" if local else "")


def _markup(text: str) -> str:
    """Escape text for a Paragraph, switching to the fallback face for glyphs DejaVu lacks."""
    regular = face("regular").name
    parts = []
    for run in split_runs(" ".join(str(text).split("\r")), "regular"):
        chunk = escape(run.text).replace("\n", "<br/>")
        parts.append(
            chunk if run.face.name == regular else f'<font name="{run.face.name}">{chunk}</font>'
        )
    return "".join(parts)
