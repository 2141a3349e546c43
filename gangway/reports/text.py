"""The report's words and tables, shared by the HTML page and the PDF so both say the same."""

from __future__ import annotations

from datetime import datetime

from ..domain.port_call_report import MovementRow
from ..services.port_call_report import CallInfo, Report


def when(value: datetime | None, empty: str = "—") -> str:
    """Format a UTC time as the report prints it."""
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else empty


def call_line(call: CallInfo) -> str:
    """Return 'Port (LOCODE), facility, berth · arrived … · departed …'."""
    port = call.port_name + (f" ({call.unlocode})" if call.unlocode else "")
    place = ", ".join(filter(None, [port, call.facility_name, call.berth]))
    return (
        f"{place} · arrived {when(call.arrived_at)} · departed {when(call.departed_at, 'not yet')}"
    )


def summary_tables(report: Report) -> list[tuple[str, list[tuple]]]:
    """Return the summary as (title, rows with a heading row first)."""
    s = report.summary
    kinds = [("Kind", "Boardings", "Departures")] + [
        (kind, s.boardings[kind], s.departures.get(kind, 0)) for kind in s.boardings
    ]
    kinds.append(("total", sum(s.boardings.values()), sum(s.departures.values())))
    counts = [
        ("Measure", "Count"),
        ("Refusals", s.refusals),
        ("Searches done", s.searches_done),
        ("Searches declined (refused)", s.searches_declined),
        ("Escorted movements", s.escorts),
        ("Maximum persons on board", s.max_on_board),
        ("Maximum reached at", when(s.max_on_board_at)),
        ("Visitors still aboard at departure", s.visitors_aboard_at_departure),
        ("Badges issued during the call", s.badges_issued),
        ("Badges revoked during the call", s.badges_revoked),
    ]
    purposes = [("Purpose", "Visitors")] + list(s.visitors_by_purpose.items())
    reasons = [("Reason", "Refusals")] + list(s.refusals_by_reason.items())
    return [
        ("Boardings and departures by kind", kinds),
        ("Security measures", counts),
        ("Unique visitors by purpose", purposes),
        ("Refusals by reason", reasons),
    ]


def record_tables(report: Report) -> list[tuple[str, list[tuple]]]:
    """Return the level timeline and the Declarations of Security as titled tables."""
    levels = [("Notified", "Level", "Ordered by", "Reason", "Complied")] + [
        (when(lc.notified_at), lc.level, lc.ordered_by, lc.reason, when(lc.complied_at))
        for lc in report.levels
    ]
    declarations = [("Valid from", "Valid until", "Level", "Ship", "Port facility", "Reason")] + [
        (when(d.valid_from), when(d.valid_until), d.level, d.ship_party_name, d.port_party_name,
         d.reason)
        for d in report.declarations
    ]  # fmt: skip
    return [("Security level timeline", levels), ("Declarations of Security", declarations)]


def log_cells(m: MovementRow) -> tuple[str, ...]:
    """Return one movement-log line's cells."""
    marks = ("S" if m.searched else "-") + "/" + ("E" if m.escorted else "-")
    return (
        m.occurred_at.isoformat(" ", "seconds")[:19],  # strftime is ~3x slower
        m.direction,
        m.kind,
        m.person_name,
        m.purpose or "",
        m.access_point,
        m.method,
        marks,
    )
