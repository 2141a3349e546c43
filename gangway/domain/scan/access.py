"""Access decisions at the gangway: who may board or leave, and why not.

Rule sources (ISPS Code Part B):
- B/9.11: permanent IDs for ship's personnel, temporary IDs for visitors; passengers prove identity
  by boarding passes or tickets; only valid IDs count.
- B/9.12: anyone unable to establish identity or the purpose of the visit is denied access, and the
  attempt is reported to the SSO (refusals are records; watch list matches are flagged).
- B/9.14.1: at security level 1 the identity and the reason for boarding of everyone is checked
  (joining instructions, tickets, boarding passes, work orders); a boarding pass dated outside
  the port call or for a route not calling here confirms no reason to board (pass_validity.py).
- B/9.11 temporary identification for visitors: a visitor's badge is good for the port call it
  was issued in and refused as expired once that call is closed; and one badge (or pass) brings
  one person aboard: boarding twice (or leaving twice) is refused for the kinds of person the plan
  names (anti-passback), flagged for the others.
Level measures (B/9.16, B/9.17: closed access points, escorts, searches, responders only,
suspension) live in levels.py and are applied here in a fixed order.

Leaving is never blocked by a lapsed credential: the ship wants that person off, so the departure
is recorded with a warning instead. The same holds for a crew member signed off (a crew change):
refused boarding, their walk off the ship recorded with a warning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from gangway.domain.scan import levels
from gangway.domain.scan import reasons as R
from gangway.domain.scan.identity import (
    DOCUMENT_NOT_INSPECTED,
    check_document_type,
    check_inspected_document,
    find_watch_list_match,
    watch_listed,
)
from gangway.domain.scan.pass_validity import pass_problem
from gangway.domain.scan.types import (
    BadgeClaims,
    BadgeFacts,
    Credential,
    Decision,
    Direction,
    PersonFacts,
    PersonKind,
    Policy,
    Reason,
    ScanFacts,
    Severity,
    Verdict,
)


def decide_scan(facts: ScanFacts, policy: Policy, now: datetime) -> Decision:
    """Decide whether the person may cross the gangway in the requested direction."""
    if facts.code_problem is not None:
        return _decide(facts.direction, [facts.code_problem])
    if facts.credential is Credential.BADGE and (facts.claims is None or facts.badge is None):
        return _decide(facts.direction, [R.UNKNOWN_BADGE])
    person = facts.person
    if person is None or not (person.is_active or person.kind is PersonKind.CREW):
        return _decide(facts.direction, [R.UNKNOWN_PERSON])
    if facts.credential is Credential.ID_DOCUMENT:
        problems = _document_problems(person, facts)
        if problems:
            return _decide(facts.direction, problems)
    leaving = facts.direction is Direction.DEPART
    level_rules = [
        levels.point_closed(facts.access_point, policy.level) if facts.access_point else None,
        levels.suspended(facts, policy),
        levels.responders_only(person, facts, policy),
        levels.still_escorting(person, facts),
    ]
    found = [
        *_signed_off(person, leaving),
        *[r for r in level_rules if r is not None],
        *_watch_list(person, facts, leaving),
        *_badge_validity(facts.claims, facts.badge, leaving, now),
        *_boarding_pass(facts, leaving),
        *_work_order(person, leaving, now),
        *_purpose(person.kind, facts, policy),
        *_passback(person.kind, facts, policy),
    ]
    return _escort_and_search(person, facts, policy, found)


def _escort_and_search(person: PersonFacts, facts: ScanFacts, policy: Policy, found) -> Decision:
    """Once nothing else refuses, ask for a purpose, an escort (level 2+), then a random search
    (B/9.15)."""
    refusals = [r for r in found if r.severity is Severity.REFUSAL]
    if refusals == [R.PURPOSE_REQUIRED] and not facts.purpose_declined:
        warnings = tuple(r for r in found if r.severity is Severity.WARNING)
        return Decision(Verdict.PURPOSE_NEEDED, facts.direction, (R.PURPOSE_NEEDED, *warnings))
    if not refusals:
        escort = levels.escort_problem(person, facts, policy)
        if escort is levels.ESCORT_DECLINED:
            found.append(escort)
        elif escort is not None:
            return Decision(Verdict.ESCORT_NEEDED, facts.direction, (escort, *found))
    search_required, declined = levels.search_outcome(person, facts, policy)
    if declined:
        found.append(declined)
    decision = _decide(facts.direction, found)
    escort_id = facts.escort.person_id if facts.escort and decision.is_allowed else None
    return replace(
        decision, search_required=search_required and decision.is_allowed, escort_id=escort_id
    )


def _decide(direction: Direction, found: list[Reason]) -> Decision:
    """Refuse if any reason blocks; list blocking reasons before warnings."""
    ordered = sorted(found, key=lambda r: r.severity is not Severity.REFUSAL)
    blocked = any(r.severity is Severity.REFUSAL for r in ordered)
    return Decision(Verdict.REFUSED if blocked else Verdict.ALLOWED, direction, tuple(ordered))


def _signed_off(person: PersonFacts, leaving: bool) -> list[Reason]:
    """Refuse a crew member signed off the ship boarding; record their departure, warned."""
    if person.is_active:
        return []
    return [R.SIGNED_OFF_ON_DEPARTURE if leaving else R.SIGNED_OFF]


def _document_problems(person: PersonFacts, facts: ScanFacts) -> list[Reason]:
    """Check the document inspected by hand against the record: its type, then its number.

    Another type first: a different document explains a different number.
    """
    number = check_inspected_document(facts.inspected_document, person.document_number)
    if number is DOCUMENT_NOT_INSPECTED:
        return [number]
    kind = check_document_type(facts.inspected_document_type, person.document_type)
    return [r for r in (kind, number) if r is not None]


def _watch_list(person: PersonFacts, facts: ScanFacts, leaving: bool) -> list[Reason]:
    """Refuse anyone the SSO put on the watch list (flag them if they are leaving)."""
    match = find_watch_list_match(
        person.family_name, person.given_names, person.document_number, facts.watch_list
    )
    return [watch_listed(match, leaving=leaving)] if match else []


def _badge_validity(
    claims: BadgeClaims | None, badge: BadgeFacts | None, leaving: bool, now: datetime
) -> list[Reason]:
    """Check revocation and the validity window, the stricter of the signed and recorded one,
    and for a visitor's badge the port call it was issued for (B/9.11 temporary identification:
    it does not outlive the call, nor count again at the next port)."""
    if claims is None or badge is None:
        return []  # not a badge: boarding pass or identity document
    found = []
    if badge.revoked_at is not None and badge.revoked_at <= now:
        found.append(R.REVOKED_ON_DEPARTURE if leaving else R.REVOKED)
    if now < max(claims.valid_from, badge.valid_from):
        found.append(R.NOT_YET_VALID_ON_DEPARTURE if leaving else R.NOT_YET_VALID)
    elif now >= min(claims.valid_until, badge.valid_until):
        found.append(R.EXPIRED_ON_DEPARTURE if leaving else R.EXPIRED)
    elif badge.call_ended_at is not None and now >= badge.call_ended_at:
        found.append(R.call_ended(badge.call_port, badge.call_ended_at, leaving=leaving))
    return found


def _boarding_pass(facts: ScanFacts, leaving: bool) -> list[Reason]:
    """Refuse a pass for another day or route than this port call (B/9.14.1; warned leaving)."""
    if facts.boarding_pass is None:
        return []  # not a boarding pass, or matched by a booking reference typed in
    problem = pass_problem(facts.boarding_pass, leaving=leaving)
    return [problem] if problem else []


def _work_order(person: PersonFacts, leaving: bool, now: datetime) -> list[Reason]:
    """Admit contractors only within their work order's window (B/9.14.1 work orders)."""
    if person.kind is not PersonKind.CONTRACTOR:
        return []
    start, end = person.work_order_valid_from, person.work_order_valid_until
    if start is not None and now < start:
        return [R.WORK_ORDER_NOT_YET_VALID_ON_DEPARTURE if leaving else R.WORK_ORDER_NOT_YET_VALID]
    if end is not None and now >= end:
        return [R.WORK_ORDER_EXPIRED_ON_DEPARTURE if leaving else R.WORK_ORDER_EXPIRED]
    return []


def _purpose(kind: PersonKind, facts: ScanFacts, policy: Policy) -> list[Reason]:
    """Require a purpose from those who board for a visit (B/9.12, B/9.14.1); with nothing else
    against the boarding the watch is asked for it first (_escort_and_search)."""
    needs_purpose = kind in policy.purpose_required_for
    has_purpose = bool(facts.purpose and facts.purpose.strip())
    if facts.direction is Direction.BOARD and needs_purpose and not has_purpose:
        return [R.PURPOSE_REQUIRED]
    return []


def _passback(kind: PersonKind, facts: ScanFacts, policy: Policy) -> list[Reason]:
    """Refuse boarding twice or leaving without having boarded for the kinds the plan names;
    flag it for the others (a missed scan must not strand them)."""
    if facts.direction is Direction.BOARD and facts.is_aboard:
        refused = kind in policy.passback_refuse_board
        return [R.already_aboard(kind) if refused else R.ALREADY_ABOARD_WARNING]
    if facts.direction is Direction.DEPART and not facts.is_aboard:
        refused = kind in policy.passback_refuse_depart
        return [R.not_aboard(kind) if refused else R.NOT_ABOARD_WARNING]
    return []
