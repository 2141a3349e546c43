"""Properties of decide_scan over any combination of facts: a verdict with reasons, never a crash.

Hypothesis draws every input type of the decision core (badge claims and records, the person,
the plan's policy, the access point, the escort, the watch list, the clock) and checks the rules
that must hold whatever the combination (ISPS Code B/9.11-9.17).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.scan import reasons as R
from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.identity import WatchEntry, find_watch_list_match
from gangway.domain.scan.types import (
    AccessPointFacts,
    BadgeClaims,
    BadgeFacts,
    Credential,
    Decision,
    Direction,
    EscortFacts,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    SecurityLevel,
    Severity,
    Verdict,
)

PROPERTIES = settings(max_examples=400, deadline=None, derandomize=True, database=None)
CODE = re.compile(r"^[a-z_]+$")
# Lapsed credentials, and a crew member signed off: they never keep anyone aboard.
LAPSED = {
    *("expired", "revoked", "not_yet_valid", "work_order_expired", "work_order_not_yet_valid"),
    "signed_off",
}

# Whole hours over twenty days: cheaper to draw than datetimes(), windows often hold `now`, and
# ties (now == valid_until) come up often enough to test the boundaries.
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
times = st.integers(-240, 240).map(lambda h: EPOCH + timedelta(hours=h))


def mostly(usual, strategy):
    """Draw `usual` three times in four: random facts would almost never reach the deep rules."""
    return st.one_of(st.just(usual), st.just(usual), st.just(usual), strategy)


kinds = st.sampled_from(PersonKind)
names = st.sampled_from(["HANSEN", "Erik", "", " hansen", "Ødegård"]) | st.text(max_size=8)
maybe_text = st.none() | names
documents = st.none() | st.sampled_from(["P1234567", "p-123 4567", "X9", ""]) | st.text(max_size=9)
level_sets = st.frozensets(st.sampled_from([1, 2, 3]))
points = st.builds(AccessPointFacts, code=names, name=names, open_levels=level_sets)

windows = st.tuples(times, st.integers(0, 480)).map(lambda w: (w[0], w[0] + timedelta(hours=w[1])))


@st.composite
def badge_pairs(draw, now=None):
    """Signed claims and the ship's record: mostly the same window, sometimes not; or missing.

    Given `now`, both are present and the signed window mostly holds it.
    """
    around = st.tuples(st.integers(0, 240), st.integers(1, 240)).map(
        lambda h: (now - timedelta(hours=h[0]), now + timedelta(hours=h[1]))
    )
    signed = draw(mostly(None, windows) if now else windows) or draw(around)
    recorded = draw(mostly(None, windows)) or signed
    claims = BadgeClaims(draw(st.integers(1, 5)), *signed)
    badge = BadgeFacts(
        claims.badge_id,
        *recorded,
        revoked_at=draw(mostly(None, times)),
        call_ended_at=draw(mostly(None, times)),  # a visitor's badge: its port call's close
        call_port=draw(mostly(None, names)),
    )
    if now:
        return claims, badge
    return draw(mostly((claims, badge), st.sampled_from([(None, badge), (claims, None)])))


persons = st.builds(
    PersonFacts,
    person_id=st.integers(1, 5),
    kind=kinds,
    family_name=names,
    given_names=names,
    document_number=documents,
    is_active=mostly(True, st.booleans()),
    work_order_valid_from=st.none() | times,
    work_order_valid_until=st.none() | times,
    is_responder=st.booleans(),
    escorting=st.integers(0, 7),
)
escorts = st.builds(
    EscortFacts,
    person_id=st.integers(1, 5),
    kind=kinds,
    display_name=names,
    is_aboard=st.booleans(),
    is_active=st.booleans(),
    escorting=st.integers(0, 7),
)
watch_entries = st.builds(
    WatchEntry,
    entry_id=st.integers(1, 5),
    reason=names,
    family_name=maybe_text,
    given_names=maybe_text,
    document_number=documents,
)
policies = st.builds(
    Policy,
    level=st.sampled_from(SecurityLevel),
    purpose_required_for=st.frozensets(kinds),
    passback_refuse_board=st.frozensets(kinds),
    passback_refuse_depart=mostly(frozenset(), st.frozensets(kinds)),
    embarkation_suspended=st.booleans(),
    disembarkation_suspended=mostly(False, st.booleans()),
    escorted_kinds=st.frozensets(kinds),
    escort_ratio=st.integers(0, 6),
    search_rate=st.floats(0, 1),
    search_crew=st.booleans(),
    crew_board_at_level_3=st.booleans(),
)
plain_facts = st.builds(
    ScanFacts,
    direction=st.sampled_from(Direction),
    credential=mostly(Credential.BADGE, st.sampled_from(Credential)),
    code_problem=mostly(None, st.sampled_from([R.MALFORMED_CODE, R.UNKNOWN_CODE, R.FORGED])),
    person=st.one_of(persons, persons, persons, st.none()),
    is_aboard=st.booleans(),
    purpose=mostly("Stores delivery", maybe_text),
    inspected_document=documents,
    watch_list=mostly((), st.lists(watch_entries, max_size=3).map(tuple)),
    access_point=mostly(None, points),
    escort=st.none() | escorts,
    escort_declined=st.booleans(),
    purpose_declined=st.booleans(),
    search_roll=st.floats(0, 1),
    search=st.sampled_from([None, "done", "declined", "maybe"]),
    override_reason=maybe_text,
)


facts = st.tuples(plain_facts, badge_pairs()).map(
    lambda f: replace(f[0], claims=f[1][0], badge=f[1][1])
)
LISTED = WatchEntry(9, "Stowaway before", document_number="P1234567")


@st.composite
def badge_scans(draw):
    """A genuine badge of an active person, and the time: past the identity checks.

    One in four is on the watch list by document number (random entries rarely match).
    """
    now = draw(times)
    scan, (claims, badge), person = draw(plain_facts), draw(badge_pairs(now)), draw(persons)
    listed = draw(st.sampled_from([False, False, False, True]))
    scan = replace(
        scan,
        credential=Credential.BADGE,
        code_problem=None,
        claims=claims,
        badge=badge,
        person=replace(
            person, is_active=True, document_number=LISTED.document_number if listed else None
        ),
        watch_list=(LISTED,) if listed else scan.watch_list,
    )
    return scan, now


@PROPERTIES
@given(facts, policies, times)
def test_any_combination_of_facts_gives_a_decision_that_keeps_every_rule(scan, policy, now):
    check_every_rule(scan, now, policy)


@PROPERTIES
@given(badge_scans(), policies)
def test_any_genuine_badge_scan_gives_a_decision_that_keeps_every_rule(scan_at, policy):
    check_every_rule(*scan_at, policy)


def check_every_rule(scan, now, policy):
    decision = decide_scan(scan, policy, now)
    assert isinstance(decision, Decision)
    assert decide_scan(scan, policy, now) == decision, "the same facts give the same decision"
    for rule in RULES:
        rule(scan, policy, now, decision)


def reasons_have_stable_codes(scan, policy, now, decision):
    """Every reason has a machine code and words; a verdict other than ALLOWED says why."""
    assert decision.verdict in Verdict
    assert decision.direction is scan.direction
    for reason in decision.reasons:
        assert CODE.match(reason.code), reason
        assert reason.message, reason
    if decision.verdict is not Verdict.ALLOWED:
        assert decision.reasons


def verdict_follows_severity(scan, policy, now, decision):
    """REFUSED exactly when a reason blocks; the first reason is the recorded refusal."""
    refusals = [r for r in decision.reasons if r.severity is Severity.REFUSAL]
    assert (decision.verdict is Verdict.REFUSED) == bool(refusals)
    if refusals:
        assert decision.refusal == refusals[0] == decision.reasons[0]
    if decision.verdict is Verdict.ESCORT_NEEDED:
        assert decision.reasons[0].code == "escort_needed"
    if decision.verdict is Verdict.PURPOSE_NEEDED:
        assert decision.reasons[0].code == "purpose_needed"


def refused_records_no_movement(scan, policy, now, decision):
    """A refusal carries no search or escort; a waiting state is not final (nothing recorded)."""
    if not decision.is_allowed:
        assert not decision.search_required
        assert decision.escort_id is None
    asking = (Verdict.ESCORT_NEEDED, Verdict.PURPOSE_NEEDED)
    waiting = decision.verdict in asking or decision.search_required
    assert decision.is_final is not waiting


def bad_badges_never_board(scan, policy, now, decision):
    """An unreadable, forged, revoked, expired or not yet valid badge is refused."""
    if scan.code_problem is not None:
        assert decision.verdict is Verdict.REFUSED
        assert decision.refusal == scan.code_problem
    if scan.credential is Credential.BADGE and (scan.badge is None or scan.claims is None):
        assert decision.verdict is Verdict.REFUSED
    if scan.direction is Direction.BOARD and scan.badge and scan.claims:
        revoked = scan.badge.revoked_at is not None and scan.badge.revoked_at <= now
        lapsed = now >= min(scan.claims.valid_until, scan.badge.valid_until)
        ended = scan.badge.call_ended_at is not None and now >= scan.badge.call_ended_at
        lapsed = lapsed or ended  # B/9.11: a temporary badge does not outlive its port call
        early = now < max(scan.claims.valid_from, scan.badge.valid_from)
        if revoked or lapsed or early:
            assert decision.verdict is Verdict.REFUSED


def unknown_people_are_refused(scan, policy, now, decision):
    """Nobody crosses without an active person on the ship's lists (B/9.12); a crew member
    signed off may only leave."""
    if scan.person is None or not scan.person.is_active:
        leaving_crew = scan.person and scan.person.kind is PersonKind.CREW
        if not (leaving_crew and scan.direction is Direction.DEPART):
            assert decision.verdict is Verdict.REFUSED


def level_3_boards_responders_only(scan, policy, now, decision):
    """At security level 3 only those responding to the incident board (B/9.17.2), and the
    crew if the plan counts them in the response."""
    boarding = scan.direction is Direction.BOARD
    if boarding and policy.level is SecurityLevel.LEVEL_3 and decision.is_allowed:
        crew = scan.person.kind is PersonKind.CREW and policy.crew_board_at_level_3
        assert scan.person.is_responder or crew


def closed_points_and_suspensions_refuse(scan, policy, now, decision):
    """A point closed at this level refuses every crossing; so does a suspended embarkation."""
    point = scan.access_point
    if point is not None and int(policy.level) not in point.open_levels:
        assert decision.verdict is Verdict.REFUSED
    if scan.direction is Direction.BOARD and policy.embarkation_suspended:
        assert decision.verdict is Verdict.REFUSED


def lapsed_credentials_never_block_leaving(scan, policy, now, decision):
    """Leaving on a lapsed badge or work order is recorded with a warning, not refused."""
    if scan.direction is Direction.DEPART:
        for reason in decision.reasons:
            if reason.code in LAPSED:
                assert reason.severity is Severity.WARNING, reason


def passback_as_the_plan_says(scan, policy, now, decision):
    """Boarding while recorded aboard (leaving while not) is refused for the kinds the plan
    names (when the check gets that far), and only flagged for the others."""
    if scan.person is None or decision.verdict is Verdict.PURPOSE_NEEDED:
        return
    twice = scan.is_aboard if scan.direction is Direction.BOARD else not scan.is_aboard
    refused_kinds = (
        policy.passback_refuse_board
        if scan.direction is Direction.BOARD
        else policy.passback_refuse_depart
    )
    found = [r for r in decision.reasons if r.code in ("already_aboard", "not_aboard")]
    if not twice:
        assert found == []
    elif decision.verdict is not Verdict.ESCORT_NEEDED and scan.code_problem is None:
        refusal = scan.person.kind in refused_kinds
        assert [r.severity is Severity.REFUSAL for r in found] in ([refusal], [])


def watch_listed_never_board(scan, policy, now, decision):
    """A watch list match boarding is refused (B/9.12), flagged when leaving."""
    person = scan.person
    if person is None or scan.direction is not Direction.BOARD:
        return
    names = (person.family_name, person.given_names, person.document_number)
    if find_watch_list_match(*names, scan.watch_list):
        assert decision.verdict is Verdict.REFUSED


RULES = [
    reasons_have_stable_codes,
    verdict_follows_severity,
    refused_records_no_movement,
    bad_badges_never_board,
    unknown_people_are_refused,
    level_3_boards_responders_only,
    closed_points_and_suspensions_refuse,
    lapsed_credentials_never_block_leaving,
    watch_listed_never_board,
    passback_as_the_plan_says,
]
