"""Access decisions at the gangway: who may board or leave, and why not.

Rule sources (ISPS Code Part B):
- B/9.11: permanent IDs for ship's personnel, temporary IDs for visitors; only valid IDs count.
- B/9.12: anyone unable to establish identity or the purpose of the visit is denied access.
- B/9.14.1: at security level 1 the identity and the reason for boarding of everyone is checked.
Level 2 and 3 measures (B/9.16, B/9.17) build on this function; `policy.level` carries the level.
"""

from __future__ import annotations

from datetime import datetime

from . import reasons as R
from .types import (
    BadgeClaims,
    BadgeFacts,
    Decision,
    Direction,
    PersonKind,
    Policy,
    Reason,
    ScanFacts,
    Severity,
    Verdict,
)


def decide_scan(facts: ScanFacts, policy: Policy, now: datetime) -> Decision:
    """Decide whether the scanned person may cross the gangway in the requested direction."""
    if facts.code_problem is not None:
        return _decide(facts.direction, [facts.code_problem])
    if facts.claims is None or facts.badge is None:
        return _decide(facts.direction, [R.UNKNOWN_BADGE])
    if facts.person is None or not facts.person.is_active:
        return _decide(facts.direction, [R.UNKNOWN_PERSON])
    found = [
        *_validity(facts.claims, facts.badge, facts.direction, now),
        *_purpose(facts.person.kind, facts, policy),
        *_passback(facts, policy),
    ]
    return _decide(facts.direction, found)


def _decide(direction: Direction, found: list[Reason]) -> Decision:
    """Refuse if any reason blocks; list blocking reasons before warnings."""
    ordered = sorted(found, key=lambda r: r.severity is not Severity.REFUSAL)
    blocked = any(r.severity is Severity.REFUSAL for r in ordered)
    return Decision(Verdict.REFUSED if blocked else Verdict.ALLOWED, direction, tuple(ordered))


def _validity(
    claims: BadgeClaims, badge: BadgeFacts, direction: Direction, now: datetime
) -> list[Reason]:
    """Check revocation and the validity window, the stricter of the signed and recorded one.

    Leaving the ship is never blocked by a lapsed badge: the departure is recorded with a warning.
    """
    leaving = direction is Direction.DEPART
    found = []
    if badge.revoked_at is not None and badge.revoked_at <= now:
        found.append(R.REVOKED_ON_DEPARTURE if leaving else R.REVOKED)
    if now < max(claims.valid_from, badge.valid_from):
        found.append(R.NOT_YET_VALID_ON_DEPARTURE if leaving else R.NOT_YET_VALID)
    elif now >= min(claims.valid_until, badge.valid_until):
        found.append(R.EXPIRED_ON_DEPARTURE if leaving else R.EXPIRED)
    return found


def _purpose(kind: PersonKind, facts: ScanFacts, policy: Policy) -> list[Reason]:
    """Require a stated purpose from those who board for a visit (B/9.12, B/9.14.1)."""
    needs_purpose = kind in policy.purpose_required_for
    has_purpose = bool(facts.purpose and facts.purpose.strip())
    if facts.direction is Direction.BOARD and needs_purpose and not has_purpose:
        return [R.PURPOSE_REQUIRED]
    return []


def _passback(facts: ScanFacts, policy: Policy) -> list[Reason]:
    """Flag (or refuse, if the plan says so) boarding twice or leaving without having boarded."""
    refuse = policy.passback == "refuse"
    if facts.direction is Direction.BOARD and facts.is_aboard:
        return [R.ALREADY_ABOARD if refuse else R.ALREADY_ABOARD_WARNING]
    if facts.direction is Direction.DEPART and not facts.is_aboard:
        return [R.NOT_ABOARD if refuse else R.NOT_ABOARD_WARNING]
    return []
