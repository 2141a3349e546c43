"""The report's words and tables, shared by the HTML page and the PDF so both say the same."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from gangway.domain.reporting.access_log import local_time
from gangway.domain.reporting.port_call_report import FollowUpRow, MovementRow, RefusalRow
from gangway.domain.scan.reasons import label
from gangway.domain.ship.declarations import ORDERED_BY

if TYPE_CHECKING:  # the shape only: services build it, this module draws it
    from gangway.services.reports.port_call_report import CallInfo, Report

REFUSAL_HEADER = ("Time", "Who and where", "Reason", "Follow-up")
CROSSING = {"board": "Boarding", "depart": "Leaving"}
METHODS = {"scan": "badge scanned", "photo": "photo of the code", "camera": "live camera",
           "manual": "ID checked by hand", "document": "ID document read"}  # fmt: skip
_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+|[a-z]+")  # how a reason code looks, not a message


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
    reasons = [("Reason", "Refusals")] + [(label(c), n) for c, n in s.refusals_by_reason.items()]
    return [
        ("Boardings and departures by kind", kinds),
        ("Security measures", counts),
        ("Unique visitors by purpose", purposes),
        ("Refusals by reason", reasons),
    ]


def record_tables(report: Report) -> list[tuple[str, list[tuple]]]:
    """Return the level timeline and the Declarations of Security as titled tables."""
    levels = [("Notified", "Level", "Ordered by", "Reason", "Complied")] + [
        (when(lc.notified_at), lc.level, ordered_by(lc.ordered_by), lc.reason, when(lc.complied_at))
        for lc in report.levels
    ]
    declarations = [("Valid from", "Valid until", "Level", "Ship", "Port facility", "Reason")] + [
        (when(d.valid_from), when(d.valid_until), d.level, d.ship_party_name, d.port_party_name,
         d.reason)
        for d in report.declarations
    ]  # fmt: skip
    tables = [("Security level timeline", levels), ("Declarations of Security", declarations)]
    return tables + sts_tables(report)


def sts_tables(report: Report) -> list[tuple[str, list[tuple]]]:
    """Return the ship-to-ship activities during the call as a titled table (none: no table)."""
    if not report.sts:
        return []
    rows = [("From", "To", "Other ship", "Where", "Level", "Measures kept", "Procedures kept")]
    rows += [
        (when(a.started_at), when(a.ended_at),
         " · ".join(p for p in (a.other_ship_name, a.other_ship_imo, a.other_ship_flag) if p),
         a.location, a.level, a.measures, "Yes" if a.procedures_maintained else "No")
        for a in report.sts
    ]  # fmt: skip
    return [("Ship-to-ship activities", rows)]


def ordered_by(code: str) -> str:
    """Return who ordered a change of level in plain words (an unknown code as words)."""
    return ORDERED_BY.get(code) or label(code)


def refusal_rows(report: Report) -> list[tuple[tuple[str, ...], ...]]:
    """Return each refusal as (time, who and where, reasons, follow-up), each a tuple of lines."""
    follow_ups: dict[int, list[FollowUpRow]] = {}
    for f in report.follow_ups:
        follow_ups.setdefault(f.refusal_id, []).append(f)
    zone = report.call.timezone
    return [
        (
            _time_lines(r.occurred_at, zone),
            _who_lines(r, report.refusal_parties.get(r.id)),
            reason_lines(r),
            _follow_up_lines(follow_ups.get(r.id, []), report),
        )
        for r in report.refusals
    ]


def refusal_note(report: Report) -> str:
    """Return the line under the refusals' heading that says which local time is given."""
    zone = report.call.timezone
    if not zone or zone == "UTC":
        return "Times in UTC."
    return f"Times in UTC and in the port's local time ({zone})."


def _time_lines(at: datetime, zone: str | None) -> tuple[str, ...]:
    lines = (f"{at:%Y-%m-%d %H:%M:%S} UTC",)
    if zone and zone != "UTC":
        lines += (f"{local_time(at, zone):%Y-%m-%d %H:%M} local",)
    return lines


def _who_lines(r: RefusalRow, party) -> tuple[str, ...]:
    lines = [party.person_name if party and party.person_name else "Not identified"]
    if party and (party.person_kind or party.company):
        lines.append(" · ".join(filter(None, [(party.person_kind or "").capitalize(),
                                              party.company])))  # fmt: skip
    point = f" at {party.access_point}" if party else ""
    crossing, method = CROSSING.get(r.direction, r.direction), METHODS.get(r.method, r.method)
    lines.append(f"{crossing}{point}, {method}")
    if r.purpose:
        lines.append(f"Purpose: {r.purpose}")
    return tuple(lines)


def reason_lines(r: RefusalRow) -> tuple[str, ...]:
    """Return a refusal's reasons in plain words, then its recorded message if it adds detail."""
    codes = [c for c in (r.reason_codes or r.reason_code).split(",") if c]
    labels = list(dict.fromkeys(label(c) for c in codes or [r.reason_code]))
    message = (r.reason_message or "").strip()
    # Old or imported records may carry a code as their message: a code is never shown.
    if message and not _CODE.fullmatch(message) and message.rstrip(".") not in labels:
        return (*labels, message)
    return tuple(labels)


def _follow_up_lines(follow_ups: list[FollowUpRow], report: Report) -> tuple[str, ...]:
    if not follow_ups:
        return ("Not acknowledged yet",)
    lines: list[str] = []
    for f in follow_ups:
        party = report.follow_up_parties.get(f.id)
        by = f" by {party.acknowledged_by}" if party and party.acknowledged_by else ""
        lines.append(f"Acknowledged {when(f.acknowledged_at)}{by}")
        if f.response:
            lines.append(f"Response: {f.response}")
        if f.description:
            lines.append(f"What happened: {f.description}")
        lines += _where_lines(party)
        authorities = f" ({party.authorities})" if party and party.authorities else ""
        reported = (
            ("the CSO", f.reported_to_cso_at),
            ("the PFSO", f.reported_to_pfso_at),
            (f"the authorities{authorities}", f.reported_to_authorities_at),
        )
        lines += [f"Reported to {whom} {when(at)}" for whom, at in reported if at]
    return tuple(lines)


def _where_lines(party) -> list[str]:
    if not party:
        return []
    where = [
        party.location_in_port and f"in port: {party.location_in_port}",
        party.location_on_vessel and f"on board: {party.location_on_vessel}",
    ]
    return ["Where " + "; ".join(filter(None, where))] if any(where) else []


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
