"""Security level records and Declarations of Security: when one is needed, what it must hold.

Rule sources: ISPS Code A/5.2.2 (a ship at a higher security level than the port facility may
request a Declaration of Security), A/5.4-5.5 and B/5 (what the DoS states, who signs it, for how
long); A/10.1.4 and 33 CFR 104.235 (the record of each change of level: who ordered it, when it
was notified and when the ship complied).
"""

from __future__ import annotations

from datetime import datetime

LEVELS = (1, 2, 3)
ORDERED_BY = {
    "flag_state": "Flag state",
    "port_state": "Port state (contracting government)",
    "company": "Company (CSO)",
    "own": "Own decision (master / SSO)",
}
SHIP_PARTY_ROLES = {"master": "Master", "sso": "Ship security officer"}

Problem = tuple[str, str]


def is_declaration_needed(
    ship_level: int, port_level: int | None, has_valid_declaration: bool
) -> bool:
    """Return whether the ship, above the port facility's level, lacks a DoS in force."""
    if port_level is None:
        return False  # not in port, or the facility's level is not known yet
    return ship_level > port_level and not has_valid_declaration


def is_declaration_in_force(
    declaration_level: int,
    valid_from: datetime,
    valid_until: datetime,
    *,
    ship_level: int,
    now: datetime,
) -> bool:
    """Return whether a DoS is valid now and agreed for at least the ship's level."""
    return valid_from <= now < valid_until and declaration_level >= ship_level


def check_level_change(
    *,
    level: int | None,
    reason: str | None,
    ordered_by: str | None,
    notified_at: datetime | None,
    complied_at: datetime | None,
) -> list[Problem]:
    """Return what is wrong with a change of security level, as (field, message) pairs."""
    problems: list[Problem] = []
    if level not in LEVELS:
        problems.append(("level", "Choose security level 1, 2 or 3."))
    if not (reason or "").strip():
        problems.append(("reason", "Give the reason for the change of level."))
    if ordered_by not in ORDERED_BY:
        problems.append(
            ("ordered_by", "Say who ordered the change: " + ", ".join(ORDERED_BY) + ".")
        )
    if notified_at is None:
        problems.append(("notified_at", "Give when the ship was notified (UTC)."))
    elif complied_at is not None and complied_at < notified_at:
        problems.append(("complied_at", "The ship cannot comply before it was notified."))
    return problems


def check_declaration(
    *,
    level: int | None,
    ship_party_name: str | None,
    ship_party_role: str | None,
    port_party_name: str | None,
    reason: str | None,
    measures: str | None,
    valid_from: datetime | None,
    valid_until: datetime | None,
    signed_at: datetime | None,
) -> list[Problem]:
    """Return what is wrong with a Declaration of Security, as (field, message) pairs."""
    problems: list[Problem] = []
    if level not in LEVELS:
        problems.append(("level", "Choose security level 1, 2 or 3."))
    if not (ship_party_name or "").strip():
        problems.append(("ship_party_name", "Name who signs for the ship."))
    if ship_party_role not in SHIP_PARTY_ROLES:
        problems.append(("ship_party_role", "The ship signs by its master or its SSO."))
    if not (port_party_name or "").strip():
        problems.append(("port_party_name", "Name who signs for the port facility (the PFSO)."))
    if not (reason or "").strip():
        problems.append(("reason", "Give the reason for the declaration."))
    if not (measures or "").strip():
        problems.append(("measures", "List the security measures agreed."))
    if valid_from is None or valid_until is None:
        problems.append(("valid_until", "Give when the declaration is valid from and until (UTC)."))
    elif valid_until <= valid_from:
        problems.append(("valid_until", "The declaration must end after it starts."))
    if signed_at is None:
        problems.append(("signed_at", "Give when the declaration was signed (UTC)."))
    return problems
