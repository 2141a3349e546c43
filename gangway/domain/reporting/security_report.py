"""The pre-arrival Security Report derived from the ship's records, as plain data.

Rule source: SOLAS XI-2/9.2.1 (ISSC, current level, the level at the last ten calls at port
facilities, special or additional measures at those calls, ship-to-ship activities), MSC.159(78)
chapter 3 and the standard data set of MSC.1/Circ.1305 (3.3 last ten calls, most recent first;
3.3.1-3.3.2 special or additional measures, Declarations of Security included, B/4.37;
3.4 ship-to-ship activities, B/4.38). Every value here is derived; the form's numbering is in
gangway.domain.reporting.security_report_form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

TEN_CALLS = 10  # XI-2/9.2.1.3: the previous ten calls at port facilities
ALERT_DAYS = 30  # an ISSC this close to expiry is shown to the SSO and the master


@dataclass(frozen=True)
class CallFacts:
    """A port call as recorded: where, when, and the port facility's level."""

    id: int
    port: str
    unlocode: str | None
    facility: str | None
    arrived_at: datetime
    departed_at: datetime | None  # None: the ship is there now
    port_level: int | None
    timezone: str = "UTC"  # the port's IANA time zone: times are shown in it too


@dataclass(frozen=True)
class LevelFact:
    """The ship's security level set at a time (a LevelChange)."""

    at: datetime
    level: int


@dataclass(frozen=True)
class DeclarationFact:
    """A Declaration of Security recorded during a port call."""

    port_call_id: int | None
    level: int
    signed_at: datetime
    facility: str | None


@dataclass(frozen=True)
class PlanFact:
    """The plan's gangway measures from a time on: the suspensions and the rest as one value."""

    at: datetime
    embarkation_suspended: bool
    disembarkation_suspended: bool
    measures: tuple  # every other measure: a change of it is a revision of the plan


@dataclass(frozen=True)
class StsFact:
    """A ship-to-ship activity (B/4.38) as the SSO recorded it."""

    id: int
    other_ship_name: str
    other_ship_imo: str | None
    other_ship_flag: str | None
    location: str
    started_at: datetime
    ended_at: datetime
    level: int
    measures: str
    procedures_maintained: bool
    declaration: str | None  # the DoS with the other ship, if one was made


@dataclass(frozen=True)
class Measure:
    """A special or additional measure at one call: a stable kind and its plain words."""

    kind: str
    text: str


@dataclass(frozen=True)
class CallRow:
    """One line of 3.3 with its 3.3.2 measures."""

    number: int
    port_call_id: int
    date_from: datetime
    date_to: datetime | None
    port: str
    country: str | None
    facility: str | None
    unlocode: str | None
    level: int
    measures: tuple[Measure, ...] = field(default_factory=tuple)
    timezone: str = "UTC"


def last_calls(
    calls: Iterable[CallFacts],
    levels: Sequence[LevelFact],
    declarations: Iterable[DeclarationFact],
    plans: Sequence[PlanFact],
    *,
    now: datetime,
) -> list[CallRow]:
    """Return 3.3: the last ten calls, most recent first, each with the level and measures."""
    recent = sorted(calls, key=lambda c: (c.arrived_at, c.id), reverse=True)[:TEN_CALLS]
    levels = sorted(levels, key=lambda f: f.at)
    plans = sorted(plans, key=lambda f: f.at)
    dos = list(declarations)
    return [_row(n, c, levels, dos, plans, now) for n, c in enumerate(recent, start=1)]


def _row(n, call: CallFacts, levels, dos, plans, now) -> CallRow:
    end = call.departed_at or now
    level = max(_in_force(levels, call.arrived_at, end, "level") or [1])
    measures = []
    if call.port_level is not None and level > call.port_level:
        text = f"The ship operated at level {level}, above the port facility's {call.port_level}."
        measures.append(Measure("above_port_level", text))
    for d in sorted((d for d in dos if d.port_call_id == call.id), key=lambda d: d.signed_at):
        where = f" with {d.facility}" if d.facility else ""
        text = f"Declaration of Security{where} at level {d.level}, signed {_when(d.signed_at)}."
        measures.append(Measure("declaration", text))
    measures.extend(_plan_measures(plans, call.arrived_at, end))
    return CallRow(n, call.id, call.arrived_at, call.departed_at, call.port,
                   _country(call.unlocode), call.facility, call.unlocode, level,
                   tuple(measures), call.timezone or "UTC")  # fmt: skip


def _in_force(facts: Sequence, start: datetime, end: datetime, name: str) -> list:
    """Return an attribute's values in force at any time in [start, end]: the one at the start
    and every one set during the stay."""
    before = [f for f in facts if f.at <= start]
    during = [f for f in facts if start < f.at <= end]
    return [getattr(f, name) for f in (before[-1:] + during)]


def _plan_measures(plans: Sequence[PlanFact], start: datetime, end: datetime) -> list[Measure]:
    out = []
    if any(_in_force(plans, start, end, "embarkation_suspended")):
        out.append(Measure("embarkation_suspended", "Embarkation suspended (B/9.17)."))
    if any(_in_force(plans, start, end, "disembarkation_suspended")):
        out.append(Measure("disembarkation_suspended", "Disembarkation suspended (B/9.17)."))
    revisions = sum(
        1
        for before, after in zip(plans, plans[1:], strict=False)
        if start < after.at <= end and after.measures != before.measures
    )
    if revisions:
        times = "once" if revisions == 1 else f"{revisions} times"
        text = f"The ship security plan's gangway measures were revised {times} during the call."
        out.append(Measure("plan_revised", text))
    return out


def sts_in_period(activities: Iterable[StsFact], since: datetime | None) -> list[StsFact]:
    """Return 3.4: the ship-to-ship activities since the oldest of the ten calls, newest first."""
    found = [a for a in activities if since is None or a.ended_at >= since]
    return sorted(found, key=lambda a: (a.started_at, a.id), reverse=True)


@dataclass(frozen=True)
class CertificateAlert:
    """An ISSC that expires within ALERT_DAYS or has expired."""

    expires_on: date
    days_left: int  # negative once expired

    @property
    def is_expired(self) -> bool:
        """Tell whether the certificate has expired (it is valid through its expiry date)."""
        return self.days_left < 0


def certificate_alert(expires_on: date | None, today: date) -> CertificateAlert | None:
    """Return the alert for a certificate expiring within 30 days or expired, else None."""
    if expires_on is None:
        return None
    days = (expires_on - today).days
    return CertificateAlert(expires_on, days) if days <= ALERT_DAYS else None


def _country(unlocode: str | None) -> str | None:
    """Return the ISO 3166 alpha-2 country a UN/LOCODE starts with."""
    return unlocode[:2].upper() if unlocode and len(unlocode) == 5 else None


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")
