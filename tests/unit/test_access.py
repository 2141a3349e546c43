"""decide_scan at security level 1: every reason code, for each person kind and direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.scan import reasons as R
from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.types import (
    BadgeClaims,
    BadgeFacts,
    Direction,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    Severity,
    Verdict,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
BOARD, DEPART = Direction.BOARD, Direction.DEPART
POLICY = Policy()
NEEDS_PURPOSE = {PersonKind.VISITOR, PersonKind.CONTRACTOR, PersonKind.AUTHORITY}


def facts(
    kind=PersonKind.CREW, direction=BOARD, *, aboard=None, purpose="Stores delivery", **badge
):
    """Facts for a genuine, valid badge; keyword arguments alter the badge record."""
    claims = BadgeClaims(7, NOW - DAY, NOW + DAY)
    record = BadgeFacts(
        **{"badge_id": 7, "valid_from": NOW - DAY, "valid_until": NOW + DAY, **badge}
    )
    return ScanFacts(
        direction=direction,
        claims=claims,
        badge=record,
        person=PersonFacts(3, kind, "DOE, Jane"),
        is_aboard=(direction is DEPART) if aboard is None else aboard,
        purpose=purpose,
    )


def codes(decision):
    return [r.code for r in decision.reasons]


@pytest.mark.parametrize("kind", list(PersonKind))
@pytest.mark.parametrize("direction", [BOARD, DEPART])
def test_valid_badge_with_purpose_is_allowed_for_every_kind_both_ways(kind, direction):
    decision = decide_scan(facts(kind, direction), POLICY, NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert decision.reasons == ()


@pytest.mark.parametrize("kind", list(PersonKind))
@pytest.mark.parametrize("direction", [BOARD, DEPART])
@pytest.mark.parametrize(
    "problem", [R.MALFORMED_CODE, R.UNKNOWN_CODE, R.FORGED], ids=lambda r: r.code
)
def test_unreadable_or_forged_code_is_refused_whatever_the_person(kind, direction, problem):
    scan = ScanFacts(direction=direction, code_problem=problem)
    decision = decide_scan(scan, POLICY, NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == [problem.code]


@pytest.mark.parametrize("direction", [BOARD, DEPART])
def test_genuine_signature_for_a_badge_the_ship_has_no_record_of_is_refused(direction):
    scan = replace(facts(direction=direction), badge=None, person=None)
    assert codes(decide_scan(scan, POLICY, NOW)) == ["unknown_badge"]


@pytest.mark.parametrize("direction", [BOARD, DEPART])
@pytest.mark.parametrize("kind", [k for k in PersonKind if k is not PersonKind.CREW])
def test_badge_of_a_person_no_longer_on_the_lists_is_refused(direction, kind):
    disabled = replace(facts(kind, direction).person, is_active=False)
    for scan in (
        replace(facts(kind, direction), person=None),
        replace(facts(kind, direction), person=disabled),
    ):
        decision = decide_scan(scan, POLICY, NOW)
        assert decision.verdict is Verdict.REFUSED
        assert codes(decision) == ["unknown_person"]


def signed_off(direction, **badge):
    """A crew member signed off the ship (a crew change): their badge is revoked with it."""
    scan = facts(direction=direction, **{"revoked_at": NOW - timedelta(minutes=1), **badge})
    return replace(scan, person=replace(scan.person, is_active=False))


def test_crew_signed_off_are_refused_boarding_in_plain_words():
    decision = decide_scan(signed_off(BOARD), POLICY, NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["signed_off", "revoked"]
    assert decision.reasons[0].message == "Signed off: no longer one of this ship's crew."


def test_crew_signed_off_may_leave_and_the_departure_is_recorded_with_a_warning():
    decision = decide_scan(signed_off(DEPART), POLICY, NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert codes(decision) == ["signed_off", "revoked"]
    assert {r.severity for r in decision.reasons} == {Severity.WARNING}
    assert "(departure recorded)" in decision.reasons[0].message


def test_crew_signed_off_are_refused_boarding_even_on_a_badge_that_was_not_revoked():
    decision = decide_scan(signed_off(BOARD, revoked_at=None), POLICY, NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["signed_off"]


# (badge alteration, boarding reason code) for lapsed badges
LAPSED = [
    ({"revoked_at": NOW - timedelta(minutes=1)}, "revoked"),
    ({"valid_from": NOW + timedelta(hours=1)}, "not_yet_valid"),
    ({"valid_until": NOW - timedelta(seconds=1)}, "expired"),
    ({"valid_until": NOW}, "expired"),  # the end instant is already outside
]


@pytest.mark.parametrize("kind", list(PersonKind))
@pytest.mark.parametrize(
    ("change", "code"), LAPSED, ids=[c for _, c in LAPSED][:3] + ["expired_at_end"]
)
def test_lapsed_badge_is_refused_when_boarding(kind, change, code):
    decision = decide_scan(facts(kind, BOARD, **change), POLICY, NOW)
    assert decision.verdict is Verdict.REFUSED
    assert decision.refusal.code == code


@pytest.mark.parametrize("kind", list(PersonKind))
@pytest.mark.parametrize(
    ("change", "code"), LAPSED, ids=[c for _, c in LAPSED][:3] + ["expired_at_end"]
)
def test_lapsed_badge_never_keeps_anyone_on_board_but_is_flagged_on_departure(kind, change, code):
    decision = decide_scan(facts(kind, DEPART, **change), POLICY, NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert [(r.code, r.severity) for r in decision.reasons] == [(code, Severity.WARNING)]


def test_revocation_dated_in_the_future_does_not_refuse_yet():
    decision = decide_scan(facts(revoked_at=NOW + timedelta(hours=2)), POLICY, NOW)
    assert decision.verdict is Verdict.ALLOWED


def test_stricter_of_signed_and_recorded_validity_applies():
    shortened = replace(facts(), badge=BadgeFacts(7, NOW - DAY, NOW - timedelta(hours=1)))
    assert decide_scan(shortened, POLICY, NOW).refusal.code == "expired"
    stale_claims = replace(facts(), claims=BadgeClaims(7, NOW - DAY, NOW - timedelta(hours=1)))
    assert decide_scan(stale_claims, POLICY, NOW).refusal.code == "expired"


@pytest.mark.parametrize("kind", list(PersonKind))
@pytest.mark.parametrize("purpose", [None, "", "   "])
def test_boarding_without_a_purpose_asks_the_watch_for_one_for_visitors_only(kind, purpose):
    decision = decide_scan(facts(kind, BOARD, purpose=purpose), POLICY, NOW)
    if kind in NEEDS_PURPOSE:
        assert decision.verdict is Verdict.PURPOSE_NEEDED
        assert not decision.is_final  # nothing is recorded until the watch answers
        assert codes(decision) == ["purpose_needed"]
    else:
        assert decision.verdict is Verdict.ALLOWED


@pytest.mark.parametrize("kind", sorted(NEEDS_PURPOSE))
def test_no_purpose_given_when_asked_is_a_refusal(kind):
    scan = replace(facts(kind, BOARD, purpose=None), purpose_declined=True)
    decision = decide_scan(scan, POLICY, NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["purpose_required"]


def test_a_missing_purpose_beside_another_refusal_is_refused_at_once_with_both():
    scan = facts(PersonKind.VISITOR, BOARD, purpose=None, valid_until=NOW - DAY)
    assert codes(decide_scan(scan, POLICY, NOW)) == ["expired", "purpose_required"]


@pytest.mark.parametrize("kind", list(PersonKind))
def test_leaving_needs_no_purpose(kind):
    assert decide_scan(facts(kind, DEPART, purpose=None), POLICY, NOW).is_allowed


FLAG_ALL = Policy(passback_refuse_board=frozenset(), passback_refuse_depart=frozenset())
REFUSE_ALL = Policy(passback_refuse_depart=frozenset(PersonKind))
CREW, PASSENGER, VISITOR = PersonKind.CREW, PersonKind.PASSENGER, PersonKind.VISITOR
CONTRACTOR, AUTHORITY = PersonKind.CONTRACTOR, PersonKind.AUTHORITY
REFUSED, ALLOWED = Verdict.REFUSED, Verdict.ALLOWED
CREW_ONLY = Policy(passback_refuse_board=frozenset({CREW}))

# (plan, kind, direction, recorded aboard, verdict, reason code or None).
PASSBACK = [
    # The default plan: boarding twice is refused for every kind, leaving twice flagged.
    (POLICY, CREW, BOARD, True, REFUSED, "already_aboard"),
    (POLICY, VISITOR, BOARD, True, REFUSED, "already_aboard"),
    (POLICY, CONTRACTOR, BOARD, True, REFUSED, "already_aboard"),
    (POLICY, AUTHORITY, BOARD, True, REFUSED, "already_aboard"),
    (POLICY, PASSENGER, BOARD, True, REFUSED, "already_aboard"),
    (POLICY, CREW, DEPART, False, ALLOWED, "not_aboard"),
    (POLICY, VISITOR, DEPART, False, ALLOWED, "not_aboard"),
    (POLICY, PASSENGER, DEPART, False, ALLOWED, "not_aboard"),
    # Crossings that are not twice are not touched by the setting.
    (POLICY, CREW, BOARD, False, ALLOWED, None),
    (REFUSE_ALL, VISITOR, DEPART, True, ALLOWED, None),
    # The plan flags everyone: both crossings allowed with a warning.
    (FLAG_ALL, CREW, BOARD, True, ALLOWED, "already_aboard"),
    (FLAG_ALL, VISITOR, DEPART, False, ALLOWED, "not_aboard"),
    # The plan refuses leaving twice too.
    (REFUSE_ALL, CREW, DEPART, False, REFUSED, "not_aboard"),
    (REFUSE_ALL, AUTHORITY, DEPART, False, REFUSED, "not_aboard"),
    # Per kind: crew refused, the others flagged.
    (CREW_ONLY, CREW, BOARD, True, REFUSED, "already_aboard"),
    (CREW_ONLY, VISITOR, BOARD, True, ALLOWED, "already_aboard"),
    (CREW_ONLY, PASSENGER, BOARD, True, ALLOWED, "already_aboard"),
]


@pytest.mark.parametrize(("policy", "kind", "direction", "aboard", "verdict", "code"), PASSBACK)
def test_passback_is_refused_or_flagged_per_kind_as_the_plan_says(
    policy, kind, direction, aboard, verdict, code
):
    decision = decide_scan(facts(kind, direction, aboard=aboard), policy, NOW)
    assert decision.verdict is verdict
    assert codes(decision) == ([code] if code else [])
    if code and verdict is ALLOWED:
        assert decision.warnings[0].code == code


@pytest.mark.parametrize(
    ("kind", "words"),
    [(CREW, "for crew"), (VISITOR, "for visitors"), (AUTHORITY, "for authorities")],
)
def test_a_passback_refusal_says_why_in_plain_words(kind, words):
    refusal = decide_scan(facts(kind, BOARD, aboard=True), POLICY, NOW).refusal
    assert "Already recorded aboard" in refusal.message
    assert words in refusal.message
    assert "record their departure first" in refusal.message
    assert R.label(refusal.code) == "Already aboard"


def test_every_refusal_reason_is_listed_before_warnings():
    decision = decide_scan(
        facts(PersonKind.VISITOR, BOARD, aboard=True, purpose=None, valid_until=NOW - DAY),
        FLAG_ALL,
        NOW,
    )
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == ["expired", "purpose_required", "already_aboard"]
    assert decision.refusal.code == "expired"


def test_every_reason_code_is_unique_and_has_words():
    assert len({r.code for r in R.ALL}) == len(R.ALL)
    assert all(r.message.strip() for r in R.ALL)


HOUR = timedelta(hours=1)
# (badge's own end, its call's end, direction, verdict, message part or None): B/9.11 temporary
# identification is for the call it was issued for; the stricter end counts.
CALL_VALIDITY = [
    (NOW + DAY, None, BOARD, ALLOWED, None),  # no call, or the call is still open
    (NOW + DAY, NOW + HOUR, BOARD, ALLOWED, None),  # the call ends later
    (NOW + DAY, NOW - HOUR, BOARD, REFUSED, "the port call at Rotterdam it was issued for ended"),
    (NOW + DAY, NOW, BOARD, REFUSED, "ended 2026-06-01 12:00 UTC."),  # the end is exclusive
    (NOW + DAY, NOW - HOUR, DEPART, ALLOWED, "ended 2026-06-01 11:00 UTC (departure recorded)."),
    (NOW - HOUR, NOW - DAY, BOARD, REFUSED, "Badge has expired."),  # its own end said first
]


@pytest.mark.parametrize(("until", "call_end", "direction", "verdict", "words"), CALL_VALIDITY)
def test_a_visitor_badge_ends_with_its_port_call(until, call_end, direction, verdict, words):
    scan = facts(
        VISITOR, direction, valid_until=until, call_ended_at=call_end, call_port="Rotterdam"
    )
    scan = replace(scan, claims=BadgeClaims(7, NOW - DAY, NOW + DAY))
    decision = decide_scan(scan, POLICY, NOW)
    assert decision.verdict is verdict
    if words is None:
        assert decision.reasons == ()
    else:
        assert codes(decision) == ["expired"]
        assert words in decision.reasons[0].message
        assert R.label("expired") == "Badge expired"
