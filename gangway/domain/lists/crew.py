"""Crew changes: who is signed on, the state of a crew badge, and a crew member typed in by hand.

Rule sources: ISPS Code B/9.11 (permanent IDs for the ship's personnel; an ID that no longer
counts is refused) and IMO FAL Form 5 (the crew list: a crew member typed into the sign-on form
is read with the same columns and cell rules as a line of an imported list, `list_columns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from gangway.domain.lists.list_columns import (
    CREW,
    CrewRow,
    Problem,
    read_cell,
    spec_for,
    unsafe_cell,
)

# The views of the crew list, in the order the page offers them; the first is the default: a
# row signed off or on stays where it was, showing its new standing.
FILTERS = {
    "all": "All",
    "signed_on": "Signed on",
    "aboard": "On board",
    "ashore": "Ashore",
    "signed_off": "Signed off",
}
BADGE_STATES = {
    "valid": "Valid",
    "not_yet_valid": "Not valid yet",
    "expired": "Expired",
    "revoked": "Revoked",
    "none": "No badge",
}
SIGN_OFF_REASON = "Signed off"  # the revocation reason of every badge a sign-off revokes
UNSAFE = "Remove the leading = + - @ or the control character: a spreadsheet would run it."


def badge_state(
    valid_from: datetime | None,
    valid_until: datetime | None,
    revoked_at: datetime | None,
    now: datetime,
) -> str:
    """Return what a badge is worth now: valid, not_yet_valid, expired, revoked or none."""
    if valid_from is None or valid_until is None:
        return "none"
    if revoked_at is not None and revoked_at <= now:
        return "revoked"
    if now < valid_from:
        return "not_yet_valid"
    return "expired" if now >= valid_until else "valid"


def in_filter(show: str, *, is_signed_on: bool, is_aboard: bool) -> bool:
    """Tell whether a crew member belongs in a view of the list (anyone aboard is 'on board')."""
    return {
        "signed_on": is_signed_on,
        "aboard": is_aboard,
        "ashore": is_signed_on and not is_aboard,
        "signed_off": not is_signed_on,
        "all": True,
    }.get(show, False)


def read_crew_member(values: Mapping[str, str]) -> tuple[CrewRow | None, tuple[Problem, ...]]:
    """Read a crew member typed into a form, by the crew list's rules; problems name the field."""
    spec, typed, problems = spec_for(CREW), {}, []
    for column in spec.columns:
        raw = values.get(column.name) or ""
        if unsafe_cell(raw, column.name):
            problems.append(Problem(0, column.name, UNSAFE))
            continue
        if column.required and not raw.strip():
            problems.append(Problem(0, column.name, "Required: fill this in."))
            continue
        typed[column.name], message = read_cell(column, raw, column.name)
        if message:
            problems.append(Problem(0, column.name, message))
    if problems:
        return None, tuple(problems)
    return CrewRow(**{**typed, "given_names": typed.get("given_names") or ""}), ()


def document_problem(expires_on: date | None, today: date) -> Problem | None:
    """Refuse to sign on a crew member whose document has expired: a crew badge ends with it."""
    if expires_on is None or expires_on >= today:
        return None
    message = f"The document expired on {expires_on.isoformat()}: record the new one first."
    return Problem(0, "document_expiry", message)
