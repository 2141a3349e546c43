"""Gather what the core needs to judge a boarding pass: the port call's days and its port code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import PortCall
from gangway.domain.codes.bcbp import BcbpPass
from gangway.domain.scan.pass_validity import DEFAULT_MARGIN_DAYS, PassFacts, PortCallDays


@dataclass(frozen=True)
class PassRules:
    """The ship's settings for passes: BOARDING_PASS_DATE_MARGIN_DAYS and _CHECK_ROUTE."""

    margin_days: int = DEFAULT_MARGIN_DAYS
    check_route: bool = True


def pass_rules(config) -> PassRules:
    """Read the pass settings from the app's configuration."""
    return PassRules(
        margin_days=max(int(config.get("BOARDING_PASS_DATE_MARGIN_DAYS", DEFAULT_MARGIN_DAYS)), 0),
        check_route=bool(config.get("BOARDING_PASS_CHECK_ROUTE", True)),
    )


def pass_facts(
    session: Session,
    boarding_pass: BcbpPass | None,
    call_id: int | None,
    when: datetime,
    rules: PassRules,
) -> PassFacts | None:
    """Return a matched pass with the days of the call it is shown in (None: no pass or call).

    The call's days are its local calendar days from arrival to departure (the actual one once
    it left, for a scan sent late; while in port the scheduled one, or the scan's day if later).
    """
    if boarding_pass is None or call_id is None:
        return None
    stmt = select(
        PortCall.arrived_at,
        PortCall.departs_at,
        PortCall.departed_at,
        PortCall.timezone,
        PortCall.unlocode,
    ).where(PortCall.id == call_id)
    row = session.execute(stmt).one()
    zone = _zone(row.timezone)
    end = row.departed_at or max(row.departs_at or when, when)
    first_on = row.arrived_at.astimezone(zone).date()
    last_on = max(end.astimezone(zone).date(), first_on)
    code = (row.unlocode or "").strip().upper()
    codes = frozenset({code[2:]}) if rules.check_route and len(code) == 5 else frozenset()
    days = PortCallDays(first_on, last_on, rules.margin_days, codes)
    return PassFacts(boarding_pass.legs, days)


def _zone(name: str | None):
    """Return the port's time zone, UTC when it is not a known IANA name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
