"""What changes at the gangway with the security level (ISPS Code Part B).

- B/9.9-9.10, 9.16.1: access points are open or closed per level; one controlled point at level 3.
- B/9.16.6: at level 2 visitors (and the kinds the plan names) board only under escort; one crew
  member escorts at most `escort_ratio` people.
- B/9.13, 9.15, 9.16.5: a share of those boarding is searched, chosen at random, more at level 2.
- B/9.17: at level 3 only those responding to the incident board; embarkation or disembarkation
  may be suspended, and the master may let one person leave with a recorded reason.
"""

from __future__ import annotations

from gangway.domain.scan.reasons import MASTER_OVERRIDE_CODE
from gangway.domain.scan.types import (
    AccessPointFacts,
    Direction,
    EscortFacts,
    PersonFacts,
    PersonKind,
    Policy,
    Reason,
    ScanFacts,
    SecurityLevel,
    Severity,
)

_W = Severity.WARNING
RESPONDERS_ONLY = Reason(
    "responders_only", "Security level 3: only those responding to the incident may board."
)
EMBARKATION_SUSPENDED = Reason("embarkation_suspended", "Embarkation is suspended by the SSO.")
DISEMBARKATION_SUSPENDED = Reason(
    "disembarkation_suspended", "Disembarkation is suspended by the SSO."
)
ESCORT_NEEDED = Reason("escort_needed", "Escort needed: scan or choose a crew member aboard.", _W)
ESCORT_DECLINED = Reason("escort_declined", "Declined to wait for an escort.")
SEARCH_DECLINED = Reason("search_declined", "Declined to be searched.")
STILL_ESCORTING = Reason("still_escorting", "Still escorting visitors aboard: hand them over.", _W)


def point_closed(point: AccessPointFacts, level: SecurityLevel) -> Reason | None:
    """Refuse any crossing at an access point the plan closes at this level."""
    if int(level) in point.open_levels:
        return None
    return Reason("access_point_closed", f"{point.name} is closed at security level {int(level)}.")


def suspended(facts: ScanFacts, policy: Policy) -> Reason | None:
    """Refuse a crossing in a suspended direction; the master's override lets one person leave."""
    if facts.direction is Direction.BOARD and policy.embarkation_suspended:
        return EMBARKATION_SUSPENDED
    if facts.direction is Direction.DEPART and policy.disembarkation_suspended:
        if facts.override_reason and facts.override_reason.strip():
            return Reason(
                MASTER_OVERRIDE_CODE, f"Master's override: {facts.override_reason.strip()}", _W
            )
        return DISEMBARKATION_SUSPENDED
    return None


def responders_only(person: PersonFacts, facts: ScanFacts, policy: Policy) -> Reason | None:
    """At level 3 refuse everyone boarding who is not responding to the incident (B/9.17.2);
    the ship's own crew board unless the plan says otherwise, as part of the response."""
    boarding = facts.direction is Direction.BOARD
    if not boarding or policy.level is not SecurityLevel.LEVEL_3 or person.is_responder:
        return None
    if person.kind is PersonKind.CREW and policy.crew_board_at_level_3:
        return None
    return RESPONDERS_ONLY


def escort_problem(person: PersonFacts, facts: ScanFacts, policy: Policy) -> Reason | None:
    """Return why a boarding still needs an escort, or None when it needs none or has a good one."""
    needs = (
        facts.direction is Direction.BOARD
        and policy.level is not SecurityLevel.LEVEL_1
        and person.kind in policy.escorted_kinds
    )
    if not needs:
        return None
    if facts.escort_declined:
        return ESCORT_DECLINED
    return ESCORT_NEEDED if facts.escort is None else _unfit_escort(facts.escort, person, policy)


def _unfit_escort(escort: EscortFacts, person: PersonFacts, policy: Policy) -> Reason | None:
    """Say why this crew member cannot escort now (the check then still needs an escort)."""
    if (
        escort.kind is not PersonKind.CREW
        or not escort.is_active
        or escort.person_id == person.person_id
    ):
        why = "only crew can escort"
    elif not escort.is_aboard:
        why = f"{escort.display_name} is not recorded aboard"
    elif escort.escorting >= policy.escort_ratio:
        why = f"{escort.display_name} already escorts {escort.escorting}"
    else:
        return None
    return Reason("escort_needed", f"Escort needed: {why}.", _W)


def still_escorting(person: PersonFacts, facts: ScanFacts) -> Reason | None:
    """Flag an escort who leaves while visitors under their escort are still aboard."""
    if facts.direction is Direction.DEPART and person.escorting > 0:
        return STILL_ESCORTING
    return None


def search_outcome(
    person: PersonFacts, facts: ScanFacts, policy: Policy
) -> tuple[bool, Reason | None]:
    """Return (search required now, refusal) for a boarding (B/9.15: all are liable to search)."""
    if facts.direction is not Direction.BOARD:
        return False, None
    if facts.search == "declined":
        return False, SEARCH_DECLINED
    if facts.search == "done":
        return False, None
    eligible = person.kind is not PersonKind.CREW or policy.search_crew
    return eligible and facts.search_roll < policy.search_rate, None
