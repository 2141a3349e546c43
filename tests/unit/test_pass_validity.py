"""A boarding pass is for this port call: its date (give or take a margin) and its route.

ISPS Code B/9.14.1 (identity and reason for boarding confirmed by boarding passes) and B/9.12
(those who cannot are denied access): a pass for another day or route is refused on boarding.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gangway.domain.codes.bcbp import parse_bcbp
from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.pass_validity import (
    PassFacts,
    PortCallDays,
    pass_problem,
    resolve_pass_date,
)
from gangway.domain.scan.types import (
    Credential,
    Direction,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    Severity,
    Verdict,
)

RTM = frozenset({"RTM"})
# In Rotterdam from Saturday 5 to Monday 7 December 2026.
CALL = PortCallDays(date(2026, 12, 5), date(2026, 12, 7), 1, RTM)
NEW_YEAR = PortCallDays(date(2026, 12, 30), date(2026, 12, 31), 1, RTM)


def legs(*items: tuple[str, str, str]):
    """Return the legs of a pass with these (from, to, day of the year) items."""
    name = "DESMARAIS/LUC".ljust(20)
    body = "".join(f"ABC123 {a:<3}{b:<3}PO 0021 {day:<3}Y001A0001 100" for a, b, day in items)
    return parse_bcbp(f"M{len(items)}{name}E{body}").legs


def problem(call: PortCallDays, *items, leaving: bool = False):
    found = pass_problem(PassFacts(legs(*items), call), leaving=leaving)
    return found.code if found else None


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ((("RTM", "HUL", "339"),), None),  # the day of arrival, 5 Dec
        ((("RTM", "HUL", "341"),), None),  # the day of departure, 7 Dec
        ((("RTM", "HUL", "338"),), None),  # the day before: within the margin
        ((("RTM", "HUL", "342"),), None),  # the day after: within the margin
        ((("RTM", "HUL", "337"),), "pass_wrong_date"),  # two days early
        ((("RTM", "HUL", "343"),), "pass_wrong_date"),  # two days late
        ((("RTM", "HUL", "326"),), "pass_wrong_date"),  # last month's sailing, edited back
        ((("RTM", "HUL", "   "),), "pass_no_date"),  # the mandatory date left blank
        ((("HUL", "RTM", "340"),), None),  # arriving here counts as calling here
        ((("rtm", "hul", "340"),), None),  # as a caps-lock scanner or a lax issuer prints it
        ((("YUL", "FRA", "340"),), "pass_wrong_route"),  # a flight's pass, today's date
        ((("YUL", "FRA", "326"),), "pass_wrong_route"),  # route first: it explains the date
        ((("   ", "   ", "340"),), None),  # no codes on the pass: the route cannot be checked
        ((("YUL", "FRA", "340"), ("FRA", "RTM", "341")), None),  # the second leg calls here
        ((("RTM", "HUL", "326"), ("HUL", "RTM", "340")), None),  # the return leg is today
        ((("RTM", "HUL", "326"), ("YUL", "FRA", "340")), "pass_wrong_date"),
        ((("RTM", "HUL", "366"),), "pass_wrong_date"),  # no 31 Dec 2028 near a 2026 call
    ],
)
def test_a_pass_boards_only_on_a_day_and_route_of_this_port_call(items, expected):
    assert problem(CALL, *items) == expected


@pytest.mark.parametrize(
    ("margin", "day", "expected"),
    [
        (0, "338", "pass_wrong_date"),
        (0, "339", None),
        (3, "336", None),
        (3, "335", "pass_wrong_date"),
    ],
)
def test_the_margin_either_side_of_the_call_is_the_ships_setting(margin, day, expected):
    call = PortCallDays(CALL.first_on, CALL.last_on, margin, RTM)
    assert problem(call, ("RTM", "HUL", day)) == expected


def test_without_a_port_code_the_route_is_not_checked_but_the_date_is():
    call = PortCallDays(CALL.first_on, CALL.last_on, 1, frozenset())
    assert problem(call, ("YUL", "FRA", "340")) is None
    assert problem(call, ("YUL", "FRA", "326")) == "pass_wrong_date"


@pytest.mark.parametrize(
    ("day", "call", "expected"),
    [
        ("002", NEW_YEAR, date(2027, 1, 2)),  # scanned 30 Dec: next year's 2 Jan
        ("365", PortCallDays(date(2027, 1, 1), date(2027, 1, 2)), date(2026, 12, 31)),
        ("340", CALL, date(2026, 12, 6)),
        ("326", CALL, date(2026, 11, 22)),  # last month, not next year's
    ],
)
def test_the_julian_date_resolves_to_the_year_nearest_the_port_call(day, call, expected):
    assert resolve_pass_date(int(day), call.first_on, call.last_on) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("001", None),  # 1 Jan 2027: the day after the call ends on 31 Dec
        ("002", "pass_wrong_date"),  # 2 Jan 2027: two days after
        ("364", None),  # 30 Dec 2026
        ("363", None),  # 29 Dec 2026, the day before
        ("362", "pass_wrong_date"),
    ],
)
def test_the_margin_runs_across_the_turn_of_the_year(day, expected):
    assert problem(NEW_YEAR, ("RTM", "HUL", day)) == expected


def test_the_refusal_says_which_day_the_pass_is_for_and_which_days_the_call_runs():
    found = pass_problem(PassFacts(legs(("RTM", "HUL", "326")), CALL), leaving=False)
    assert found.severity is Severity.REFUSAL
    assert "2026-11-22" in found.message
    assert "2026-12-05 to 2026-12-07" in found.message


@pytest.mark.parametrize(
    "items", [(("RTM", "HUL", "326"),), (("RTM", "HUL", "   "),), (("YUL", "FRA", "340"),)]
)
def test_leaving_on_a_pass_for_another_day_or_route_is_recorded_with_a_warning(items):
    found = pass_problem(PassFacts(legs(*items), CALL), leaving=True)
    assert found.severity is Severity.WARNING
    assert found.message.endswith("(departure recorded).")


PASSENGER = PersonFacts(
    person_id=1, kind=PersonKind.PASSENGER, family_name="Desmarais", given_names="Luc"
)
POLICY = Policy()
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "direction", "verdict"),
    [
        ("340", Direction.BOARD, Verdict.ALLOWED),
        ("326", Direction.BOARD, Verdict.REFUSED),
        ("326", Direction.DEPART, Verdict.ALLOWED),
    ],
)
def test_decide_scan_refuses_boarding_on_a_pass_for_another_day(day, direction, verdict):
    facts = ScanFacts(
        direction=direction,
        credential=Credential.BOARDING_PASS,
        person=PASSENGER,
        is_aboard=direction is Direction.DEPART,
        boarding_pass=PassFacts(legs(("RTM", "HUL", day)), CALL),
    )
    decision = decide_scan(facts, POLICY, NOW)
    assert decision.verdict is verdict
    assert [r.code for r in decision.reasons] == ([] if day == "340" else ["pass_wrong_date"])
