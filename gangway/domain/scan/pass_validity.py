"""Whether a boarding pass is for this port call: its date and its route.

Rule sources: ISPS Code Part B 9.11 (passengers prove their identity by boarding passes, tickets),
B/9.14.1 (at level 1 the identity of all persons seeking to board is checked and their reasons
for doing so confirmed by, for example, passenger tickets and boarding passes) and B/9.12 (those
unable to establish their identity or purpose are denied access, and the attempt reported to the
SSO). A pass for another day or another route confirms no reason to board here, even when its
name and booking match the manifest: it is refused on boarding. Leaving is never blocked by a
lapsed credential (access.py): the departure is recorded with a warning.

IATA Resolution 792 (BCBP): the date of flight is a day of the year (001-366) without a year, and
is mandatory; "from" and "to" are three-letter location codes (for a sailing, the port's UN/LOCODE
location part, e.g. RTM of NLRTM). A pass without a date cannot show it is for this call: it is
refused with its own reason, so the watch checks the booking by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gangway.domain.codes.bcbp import BcbpLeg, resolve_julian_date
from gangway.domain.scan.types import Reason, Severity

PASS_WRONG_DATE = Reason("pass_wrong_date", "Boarding pass is for another day than this port call.")
PASS_NO_DATE = Reason("pass_no_date", "Boarding pass carries no date: check the booking by hand.")
PASS_WRONG_ROUTE = Reason("pass_wrong_route", "Boarding pass is for a route not calling here.")
ALL = (PASS_WRONG_DATE, PASS_NO_DATE, PASS_WRONG_ROUTE)
DEFAULT_MARGIN_DAYS = 1  # a pass issued for the evening before, or a sailing just after midnight


@dataclass(frozen=True, slots=True)
class PortCallDays:
    """The days a pass for this port call may carry, in the port's local calendar."""

    first_on: date  # the day of arrival
    last_on: date  # the day of departure (or of the scan, while the ship stays in port)
    margin_days: int = DEFAULT_MARGIN_DAYS  # either side of the call
    port_codes: frozenset[str] = frozenset()  # this port's location codes; empty: no route check


@dataclass(frozen=True, slots=True)
class PassFacts:
    """The legs of a boarding pass matched to the manifest, and the port call it is shown at."""

    legs: tuple[BcbpLeg, ...]
    call: PortCallDays


def resolve_pass_date(julian_date: int, first_on: date, last_on: date) -> date | None:
    """Return the date on this day of the year nearest the days first_on..last_on, None if none."""
    candidates = {
        resolve_julian_date(julian_date, first_on),
        resolve_julian_date(julian_date, last_on),
    }
    days = [day for day in candidates if day is not None]
    return min(days, key=lambda day: _distance(day, first_on, last_on), default=None)


def pass_problem(facts: PassFacts, *, leaving: bool) -> Reason | None:
    """Return why a pass is not for this port call (a warning when leaving), or None.

    A pass is good when one of its legs calls at this port (when the port's codes are known and
    the leg carries codes) and is dated within the call, give or take the margin.
    """
    call = facts.call
    legs = [leg for leg in facts.legs if _calls_here(leg, call.port_codes)]
    if not legs:
        return _as(PASS_WRONG_ROUTE, _route_words(facts.legs, call.port_codes), leaving)
    dated = [leg.julian_date for leg in legs if leg.julian_date is not None]
    if not dated:
        return _as(PASS_NO_DATE, PASS_NO_DATE.message, leaving)
    days = [resolve_pass_date(julian, call.first_on, call.last_on) for julian in dated]
    margin = timedelta(days=max(call.margin_days, 0))
    if any(d and call.first_on - margin <= d <= call.last_on + margin for d in days):
        return None
    shown = f"{days[0]:%Y-%m-%d}" if days[0] else f"day {dated[0]} of a year"
    span = f"{call.first_on:%Y-%m-%d}" + (
        f" to {call.last_on:%Y-%m-%d}" if call.last_on != call.first_on else ""
    )
    message = f"Boarding pass is for {shown}, not this port call ({span}): check the booking."
    return _as(PASS_WRONG_DATE, message, leaving)


def _calls_here(leg: BcbpLeg, port_codes: frozenset[str]) -> bool:
    """Tell whether a leg starts or ends here; without codes on either side, it cannot say."""
    ends = {leg.from_airport.upper(), leg.to_airport.upper()} - {""}
    return not port_codes or not ends or bool(ends & port_codes)


def _route_words(legs: tuple[BcbpLeg, ...], port_codes: frozenset[str]) -> str:
    """Say which route the pass is for and which port this is."""
    routes = ", ".join(f"{leg.from_airport}-{leg.to_airport}" for leg in legs)
    here = "/".join(sorted(port_codes))
    return f"Boarding pass is for {routes}, which does not call here ({here}): check the booking."


def _as(reason: Reason, message: str, leaving: bool) -> Reason:
    """Return the reason with its message; when leaving, a warning (the departure is recorded)."""
    if leaving:
        return Reason(reason.code, f"{message.rstrip('.')} (departure recorded).", Severity.WARNING)
    return Reason(reason.code, message)


def _distance(day: date, first_on: date, last_on: date) -> int:
    """Return how many days a date lies outside first_on..last_on (0 within)."""
    return max((first_on - day).days, (day - last_on).days, 0)
