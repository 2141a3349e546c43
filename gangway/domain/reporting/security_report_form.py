"""The Security Report as the circular numbers it: particulars, port, XI-2/9.2.1 information.

Rule source: MSC.1/Circ.1305, the standard data set of security-related information (1.1 IMO
number ... 1.11 CSO; 2.1-2.3 port of arrival, ETA, purpose; 3.1 certificate, 3.2 level, 3.3 last
ten calls, 3.3.1-3.3.2 special measures, 3.4 ship-to-ship activities, 3.5 other information).
The items come out as a list in the form's order, each with its number, so that JSON keeps the
order whatever sorts keys. Only 3.5 is the SSO's text; every other value is derived.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from gangway.domain.reporting.access_log import local_time
from gangway.domain.reporting.security_report import (
    CallFacts,
    CallRow,
    DeclarationFact,
    LevelFact,
    PlanFact,
    StsFact,
    last_calls,
    sts_in_period,
)

CERTIFICATE_KINDS = {"issc": "ISSC", "interim": "Interim ISSC"}


@dataclass(frozen=True)
class Particulars:
    """The ship's particulars and certificate as kept (any may be missing)."""

    imo_number: str | None = None
    name: str | None = None
    port_of_registry: str | None = None
    flag_state: str | None = None
    ship_type: str | None = None
    call_sign: str | None = None
    inmarsat_numbers: str | None = None
    gross_tonnage: int | None = None
    company_name: str | None = None
    company_imo_number: str | None = None
    cso_name: str | None = None
    cso_contact: str | None = None
    certificate_kind: str | None = None  # issc or interim
    certificate_issuer: str | None = None
    certificate_expires_on: date | None = None
    ssp_approved_on_board: bool | None = None


@dataclass(frozen=True)
class Arrival:
    """Where the ship is going: what the person asking for the report gives (2.1-2.3)."""

    unlocode: str
    facility: str | None
    eta: datetime
    purpose: str


@dataclass(frozen=True)
class SecurityReport:
    """Everything the form shows, derived from the records but for `other_information`."""

    particulars: Particulars
    arrival: Arrival
    current_level: int
    location: str
    calls: list[CallRow]
    sts: list[StsFact]
    other_information: str
    made_at: datetime


def security_report(
    particulars: Particulars,
    arrival: Arrival,
    *,
    current_level: int,
    calls: Sequence[CallFacts],
    levels: Sequence[LevelFact],
    declarations: Iterable[DeclarationFact],
    plans: Sequence[PlanFact],
    sts: Iterable[StsFact],
    other_information: str,
    now: datetime,
) -> SecurityReport:
    """Derive the report from plain records at `now`."""
    rows = last_calls(calls, levels, declarations, plans, now=now)
    since = rows[-1].date_from if len(rows) == 10 else None  # fewer calls: all activities
    return SecurityReport(
        particulars, arrival, current_level, _location(calls), rows,
        sts_in_period(sts, since), other_information.strip(), now,
    )  # fmt: skip


def _location(calls: Sequence[CallFacts]) -> str:
    """Return 3.2.1: in port at the open call, or at sea since the last one."""
    if not calls:
        return "At sea"
    last = max(calls, key=lambda c: (c.arrived_at, c.id))
    where = ", ".join(p for p in (last.facility, last.port, last.unlocode) if p)
    if last.departed_at is None:
        return f"In port: {where}"
    return f"At sea since leaving {where} on {last.departed_at:%Y-%m-%d %H:%M} UTC"


def is_certificate_valid(p: Particulars, today: date) -> bool:
    """Tell whether a certificate is recorded and not expired (valid through its expiry date)."""
    return bool(
        p.certificate_kind and p.certificate_expires_on and p.certificate_expires_on >= today
    )


SHIP_ITEMS = (  # (number, label, the Particulars field)
    ("1.1", "IMO number", "imo_number"),
    ("1.2", "Name of ship", "name"),
    ("1.3", "Port of registry", "port_of_registry"),
    ("1.4", "Flag State", "flag_state"),
    ("1.5", "Type of ship", "ship_type"),
    ("1.6", "Call sign", "call_sign"),
    ("1.7", "Inmarsat call numbers", "inmarsat_numbers"),
    ("1.8", "Gross tonnage", "gross_tonnage"),
    ("1.9", "Name of Company", "company_name"),
    ("1.10", "IMO Company identification number", "company_imo_number"),
)
TITLES = (
    "Particulars of the ship and contact details",
    "Port and port facility information",
    "Information required by SOLAS regulation XI-2/9.2.1",
)


def numbered(report: SecurityReport) -> list[dict]:
    """Return the report's sections in the circular's order, as JSON values."""
    p, a = report.particulars, report.arrival
    ship = [(n, label, getattr(p, name)) for n, label, name in SHIP_ITEMS]
    ship.append(("1.11", "Company Security Officer, 24-hour contact",
                 {"name": p.cso_name, "contact": p.cso_contact}))  # fmt: skip
    where = {"unlocode": a.unlocode, "facility": a.facility}
    port = [
        ("2.1", "Port of arrival and port facility", where),
        ("2.2", "Expected date and time of arrival", _json(a.eta)),
        ("2.3", "Primary purpose of call", a.purpose),
    ]  # fmt: skip
    sections = zip(("1", "2", "3"), TITLES, (ship, port, _xi_2_items(report)), strict=True)
    return [_section(*section) for section in sections]


def _xi_2_items(report: SecurityReport) -> list[tuple]:
    """Return 3.1-3.5: the certificate, the level, the last ten calls, measures, activities."""
    p, rows, sts = report.particulars, report.calls, report.sts
    valid = is_certificate_valid(p, report.made_at.date())
    special = [r for r in rows if r.measures]
    expires = {"issuer": p.certificate_issuer, "expires_on": _json(p.certificate_expires_on)}
    return [
        ("3.1", "Valid certificate", CERTIFICATE_KINDS.get(p.certificate_kind) if valid else None),
        ("3.1.1", "Issued by, expires on", expires),
        ("3.1.2", "Why there is no valid certificate", None if valid else _no_certificate(p)),
        ("3.1.2.1", "Approved ship security plan on board", p.ssp_approved_on_board),
        ("3.2", "Current security level", report.current_level),
        ("3.2.1", "Location of the ship when the report is made", report.location),
        ("3.3", "Last ten calls at port facilities, most recent first", [_call(r) for r in rows]),
        ("3.3.1", "Special or additional measures taken during those calls", bool(special)),
        ("3.3.2", "The special or additional measures, per call", [_measures(r) for r in special]),
        ("3.4", "Ship-to-ship activities in that period, newest first", [_sts(s) for s in sts]),
        ("3.4.1", "Ship security procedures maintained during each of them",
         all(s.procedures_maintained for s in sts) if sts else None),
        ("3.5", "Other security-related information", report.other_information or None),
    ]  # fmt: skip


def _section(number: str, title: str, items: list[tuple]) -> dict:
    out = []
    for n, label, value in items:
        key = "rows" if isinstance(value, list) else "value"
        out.append({"number": n, "label": label, key: value})
    return {"number": number, "title": title, "items": out}


def _call(r: CallRow) -> dict:
    local = r.timezone != "UTC"
    return {
        "number": r.number,
        "date_from": _json(r.date_from),
        "date_to": _json(r.date_to),
        "timezone": r.timezone,
        "date_from_local": _json(local_time(r.date_from, r.timezone)) if local else None,
        "date_to_local": _json(local_time(r.date_to, r.timezone)) if local and r.date_to else None,
        "port": r.port,
        "country": r.country,
        "facility": r.facility,
        "unlocode": r.unlocode,
        "security_level": r.level,
    }


def _measures(r: CallRow) -> dict:
    return {
        "number": r.number,
        "port": r.port,
        "unlocode": r.unlocode,
        "measures": [{"kind": m.kind, "text": m.text} for m in r.measures],
    }


def _sts(s: StsFact) -> dict:
    return {
        "date_from": _json(s.started_at),
        "date_to": _json(s.ended_at),
        "location": s.location,
        "other_ship_name": s.other_ship_name,
        "other_ship_imo": s.other_ship_imo,
        "other_ship_flag": s.other_ship_flag,
        "security_level": s.level,
        "measures": s.measures,
        "procedures_maintained": s.procedures_maintained,
        "declaration_of_security": s.declaration,
    }


def _no_certificate(p: Particulars) -> str:
    if not p.certificate_kind or not p.certificate_expires_on:
        return "No certificate is recorded."
    return f"The certificate expired on {p.certificate_expires_on.isoformat()}."


def _json(value):
    return value.isoformat() if isinstance(value, date | datetime) else value
