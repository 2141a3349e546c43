"""Security levels at the gangway: access point plans, suspension, responders, escorts, searches.

A table for every level x person kind x access point state x escort state x suspension.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.types import (
    AccessPointFacts,
    BadgeClaims,
    BadgeFacts,
    Direction,
    EscortFacts,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    SecurityLevel,
    Verdict,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
L1, L2, L3 = SecurityLevel.LEVEL_1, SecurityLevel.LEVEL_2, SecurityLevel.LEVEL_3
BOARD, DEPART = Direction.BOARD, Direction.DEPART
GANGWAY = AccessPointFacts("GW", "Main gangway", frozenset({1, 2, 3}))
LADDER = AccessPointFacts("AL", "Aft ladder", frozenset({1}))
BOSUN = EscortFacts(50, PersonKind.CREW, "SANTOS, Maria", is_aboard=True)
ESCORTED = {PersonKind.VISITOR, PersonKind.CONTRACTOR}


def facts(kind=PersonKind.VISITOR, direction=BOARD, **more) -> ScanFacts:
    base = dict(
        direction=direction,
        claims=BadgeClaims(7, NOW - DAY, NOW + DAY),
        badge=BadgeFacts(7, NOW - DAY, NOW + DAY),
        person=PersonFacts(3, kind, "DOE", "Jane", "X1"),
        is_aboard=direction is DEPART,
        purpose="Ship's agent",
        access_point=GANGWAY,
    )
    return ScanFacts(**{**base, **more})


def codes(decision):
    return [r.code for r in decision.reasons]


def expected(level, kind, point, escort, suspended, direction):
    """The plan's answer, written independently of the implementation."""
    if int(level) not in point.open_levels:
        return Verdict.REFUSED, "access_point_closed"
    if suspended:
        return (
            Verdict.REFUSED,
            "embarkation_suspended" if direction is BOARD else "disembarkation_suspended",
        )
    if direction is DEPART:
        return Verdict.ALLOWED, None
    if level is L3 and kind is not PersonKind.CREW:  # the crew board at level 3 by default
        return Verdict.REFUSED, "responders_only"
    if level is L2 and kind in ESCORTED and escort is None:
        return Verdict.ESCORT_NEEDED, "escort_needed"
    return Verdict.ALLOWED, None


TABLE = list(
    itertools.product(
        [L1, L2, L3],
        list(PersonKind),
        [GANGWAY, LADDER],
        [None, BOSUN],
        [False, True],
        [BOARD, DEPART],
    )
)


@pytest.mark.parametrize(("level", "kind", "point", "escort", "suspended", "direction"), TABLE)
def test_level_rules_table(level, kind, point, escort, suspended, direction):
    policy = Policy(
        level=level, embarkation_suspended=suspended, disembarkation_suspended=suspended
    )
    decision = decide_scan(facts(kind, direction, access_point=point, escort=escort), policy, NOW)
    verdict, code = expected(level, kind, point, escort, suspended, direction)
    assert decision.verdict is verdict
    if code:
        assert decision.reasons[0].code == code


def test_closed_access_point_says_which_and_at_what_level():
    decision = decide_scan(facts(access_point=LADDER), Policy(level=L2), NOW)
    assert decision.reasons[0].message == "Aft ladder is closed at security level 2."


@pytest.mark.parametrize("kind", list(PersonKind))
def test_level_3_admits_responders_of_any_kind(kind):
    person = PersonFacts(3, kind, "DOE", "Jane", "X1", is_responder=True)
    decision = decide_scan(facts(kind, person=person, escort=BOSUN), Policy(level=L3), NOW)
    assert decision.verdict is Verdict.ALLOWED


def test_master_may_let_one_person_leave_while_disembarkation_is_suspended():
    policy = Policy(disembarkation_suspended=True)
    decision = decide_scan(
        facts(direction=DEPART, override_reason="medical appointment"), policy, NOW
    )
    assert decision.verdict is Verdict.ALLOWED
    assert decision.warnings[0].code == "master_override"
    assert "medical appointment" in decision.warnings[0].message


def test_override_does_not_open_a_suspended_embarkation():
    decision = decide_scan(facts(override_reason="x"), Policy(embarkation_suspended=True), NOW)
    assert decision.verdict is Verdict.REFUSED


@pytest.mark.parametrize(
    ("escort", "why"),
    [
        (replace(BOSUN, is_aboard=False), "not recorded aboard"),
        (replace(BOSUN, kind=PersonKind.VISITOR), "only crew can escort"),
        (replace(BOSUN, escorting=5), "already escorts 5"),
        (replace(BOSUN, person_id=3), "only crew can escort"),  # nobody escorts themselves
    ],
)
def test_unfit_escort_still_needs_an_escort_and_says_why(escort, why):
    decision = decide_scan(facts(escort=escort), Policy(level=L2), NOW)
    assert decision.verdict is Verdict.ESCORT_NEEDED
    assert why in decision.reasons[0].message


def test_escort_ratio_is_the_plans():
    busy = replace(BOSUN, escorting=2)
    assert (
        decide_scan(facts(escort=busy), Policy(level=L2, escort_ratio=2), NOW).verdict
        is Verdict.ESCORT_NEEDED
    )
    assert decide_scan(facts(escort=busy), Policy(level=L2, escort_ratio=3), NOW).is_allowed


def test_allowed_with_escort_names_the_escort_for_the_record():
    decision = decide_scan(facts(escort=BOSUN), Policy(level=L2), NOW)
    assert decision.escort_id == BOSUN.person_id


def test_declining_to_wait_for_an_escort_is_a_refusal():
    decision = decide_scan(facts(escort_declined=True), Policy(level=L2), NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["escort_declined"]


def test_escort_leaving_while_escorting_is_flagged():
    crew = PersonFacts(50, PersonKind.CREW, "SANTOS", "Maria", escorting=2)
    decision = decide_scan(facts(PersonKind.CREW, DEPART, person=crew), Policy(level=L2), NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert codes(decision) == ["still_escorting"]


def test_the_purpose_is_asked_before_an_escort():
    decision = decide_scan(facts(purpose=None), Policy(level=L2), NOW)
    assert decision.verdict is Verdict.PURPOSE_NEEDED
    assert codes(decision) == ["purpose_needed"]


def test_refusal_reasons_come_before_asking_for_an_escort():
    decision = decide_scan(facts(purpose=None, purpose_declined=True), Policy(level=L2), NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["purpose_required"]


@pytest.mark.parametrize(
    ("crew_board", "responder", "verdict"),
    [
        (True, False, Verdict.ALLOWED),
        (False, False, Verdict.REFUSED),
        (False, True, Verdict.ALLOWED),
    ],
)
def test_crew_board_at_level_3_unless_the_plan_says_only_responders(crew_board, responder, verdict):
    crew = PersonFacts(3, PersonKind.CREW, "DOE", "Jane", "X1", is_responder=responder)
    policy = Policy(level=L3, crew_board_at_level_3=crew_board)
    decision = decide_scan(facts(PersonKind.CREW, person=crew), policy, NOW)
    assert decision.verdict is verdict
    if verdict is Verdict.REFUSED:
        assert codes(decision) == ["responders_only"]


@pytest.mark.parametrize("kind", [k for k in PersonKind if k is not PersonKind.CREW])
def test_the_crew_rule_at_level_3_lets_no_other_kind_board(kind):
    decision = decide_scan(facts(kind, escort=BOSUN), Policy(level=L3), NOW)
    assert codes(decision)[0] == "responders_only"


@pytest.mark.parametrize(
    ("roll", "rate", "kind", "search_crew", "required"),
    [
        (0.05, 0.10, PersonKind.VISITOR, False, True),
        (0.10, 0.10, PersonKind.VISITOR, False, False),
        (0.99, 1.00, PersonKind.PASSENGER, False, True),
        (0.00, 0.00, PersonKind.VISITOR, False, False),
        (0.05, 0.10, PersonKind.CREW, False, False),  # crew are not picked to search colleagues
        (0.05, 0.10, PersonKind.CREW, True, True),  # unless the plan says so
    ],
)
def test_random_search_picks_by_the_levels_rate(roll, rate, kind, search_crew, required):
    policy = Policy(search_rate=rate, search_crew=search_crew)
    decision = decide_scan(facts(kind, search_roll=roll), policy, NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert decision.search_required is required
    assert decision.is_final is not required


def test_search_done_is_allowed_and_declined_is_refused():
    policy = Policy(search_rate=1.0)
    assert decide_scan(facts(search="done", search_roll=0.0), policy, NOW).is_final
    declined = decide_scan(facts(search="declined"), policy, NOW)
    assert declined.verdict is Verdict.REFUSED
    assert codes(declined) == ["search_declined"]


def test_nobody_is_searched_on_the_way_out():
    decision = decide_scan(facts(direction=DEPART, search_roll=0.0), Policy(search_rate=1.0), NOW)
    assert decision.search_required is False
