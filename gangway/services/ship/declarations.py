"""Declarations of Security (ISPS A/5.4-5.5, B/5): record those agreed with the port, list them.

Whether one is needed (the ship above the port facility's level) is `security_level`'s
`declaration_needed`; the checks of a declaration's fields are in domain.declarations.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Declaration, User
from gangway.domain.accounts.permissions import holds
from gangway.domain.ship.declarations import check_declaration
from gangway.services.errors import BadInput
from gangway.services.ship.port_calls import port_calls_for
from gangway.services.ship.security_level import (
    MAX_REASON,
    declaration_needed,
    maybe_level,
    raise_first,
)
from gangway.services.ship.ship import current_port_call, current_ship

MAX_NAME = 120


def record_declaration(
    session: Session,
    *,
    level: object,
    ship_party_name: str | None,
    ship_party_role: str | None,
    port_party_name: str | None,
    port_facility: str | None,
    reason: str | None,
    measures: str | None,
    valid_from: datetime | None,
    valid_until: datetime | None,
    signed_at: datetime | None,
    user: User,
    now: datetime,
) -> Declaration:
    """Record a Declaration of Security agreed with the port facility; commit.

    :raises BadInput: the first problem check_declaration finds, or a field too long.
    """
    texts = {
        "ship_party_name": _clean(ship_party_name, MAX_NAME, "ship_party_name"),
        "port_party_name": _clean(port_party_name, MAX_NAME, "port_party_name"),
        "port_facility": _clean(port_facility, MAX_NAME, "port_facility") or None,
        "reason": _clean(reason, MAX_REASON, "reason"),
        "measures": (measures or "").strip(),
    }
    times = {"valid_from": valid_from, "valid_until": valid_until, "signed_at": signed_at}
    raise_first(
        check_declaration(
            level=maybe_level(level),
            ship_party_role=ship_party_role,
            **{k: v for k, v in texts.items() if k != "port_facility"},
            **times,
        )
    )
    port_call = current_port_call(session)
    declaration = Declaration(
        **texts,
        **times,
        level=int(level),
        ship_party_role=ship_party_role,
        port_call_id=port_call.id if port_call else None,
        recorded_at=now,
        recorded_by_id=user.id,
    )
    session.add(declaration)
    session.commit()
    return declaration


def declarations(session: Session, limit: int | None = None) -> list[Declaration]:
    """Return the Declarations of Security, newest first (all of them unless limited)."""
    stmt = select(Declaration).order_by(Declaration.recorded_at.desc(), Declaration.id.desc())
    return list(session.scalars(stmt.limit(limit) if limit else stmt))


def declarations_for(session: Session, user) -> list[Declaration]:
    """Return the Declarations a user may read: a PFSO only those of their facility's calls
    (B/4.41); a declaration made outside any port call is the ship's, not theirs."""
    found = declarations(session)
    if not holds(user.role, "port_calls.facility_only"):
        return found
    calls = {c.id for c in port_calls_for(session, user, limit=None)}
    return [d for d in found if d.port_call_id in calls]


def declaration_defaults(session: Session, now: datetime) -> dict:
    """Return what the DoS form starts with: this port call's facility, the level, validity."""
    ship = current_ship(session)
    port_call = current_port_call(session)
    until = port_call.departs_at if port_call and port_call.departs_at else None
    return {
        "level": ship.security_level if ship else 1,
        "port_facility": (port_call.facility_name or port_call.port_name) if port_call else "",
        "reason": "The ship is at a higher security level than the port facility."
        if declaration_needed(session, now)
        else "",
        "valid_from": now,
        "valid_until": until if until and until > now else now + timedelta(days=1),
        "signed_at": now,
    }


def _clean(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise BadInput(field, f"Keep it under {limit} characters.")
    return value
