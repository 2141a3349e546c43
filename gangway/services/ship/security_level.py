"""The ship's security level, the port facility's, and whether a Declaration of Security is due.

Each change of level is a new LevelChange row (ISPS A/10.1.4; 33 CFR 104.235), never an edit;
the ship's level in force is the one the gangway rules read. These functions commit. Recording
the Declarations themselves is in `declarations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Declaration, LevelChange, PortCall, Ship, User
from gangway.domain.ship.declarations import (
    check_level_change,
    is_declaration_in_force,
    is_declaration_needed,
)
from gangway.services.errors import BadInput
from gangway.services.ship.ship import current_port_call, current_ship

MAX_REASON = 255


@dataclass(frozen=True)
class LevelState:
    """The level in force, its latest record, the port facility's level and the DoS prompt."""

    level: int
    reason: str | None
    ordered_by: str | None
    notified_at: datetime | None
    complied_at: datetime | None
    port_level: int | None
    declaration_needed: bool


@dataclass(frozen=True)
class LevelRecord:
    """One row of the level history, with the port and the person who recorded it."""

    change: LevelChange
    port_name: str | None
    recorded_by: str


def parse_level(value: object, field: str = "level") -> int:
    """Return a security level from an int or a digit string.

    :raises BadInput: anything but 1, 2 or 3.
    """
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 3:
        value = int(value)
    if isinstance(value, bool) or value not in (1, 2, 3):
        raise BadInput(field, "Choose security level 1, 2 or 3.")
    return value


def set_level(
    session: Session,
    *,
    level: object,
    reason: str | None,
    ordered_by: str | None,
    notified_at: datetime | None,
    complied_at: datetime | None,
    user: User,
    now: datetime,
) -> LevelChange:
    """Record a change of the ship's security level and put it in force; commit.

    :raises BadInput: bad level, no reason, unknown orderer, or complied before notified.
    """
    reason = (reason or "").strip()
    problems = check_level_change(
        level=maybe_level(level),
        reason=reason,
        ordered_by=ordered_by,
        notified_at=notified_at,
        complied_at=complied_at,
    )
    if not problems and len(reason) > MAX_REASON:
        problems.append(("reason", f"Keep the reason under {MAX_REASON} characters."))
    raise_first(problems)
    ship = _ship(session)
    port_call = current_port_call(session)
    change = LevelChange(
        level=int(level),
        reason=reason,
        ordered_by=ordered_by,
        notified_at=notified_at,
        complied_at=complied_at,
        recorded_at=now,
        recorded_by_id=user.id,
        port_call_id=port_call.id if port_call else None,
    )
    ship.security_level = change.level
    session.add(change)
    session.commit()
    return change


def set_port_level(session: Session, level: object, *, user: User, now: datetime) -> PortCall:
    """Record the port facility's security level for the current port call; commit.

    :raises BadInput: bad level, or the ship is not in port.
    """
    level = parse_level(level)
    port_call = current_port_call(session)
    if port_call is None:
        raise BadInput("port_level", "The ship is not in port: open a port call first.")
    port_call.port_security_level = level
    session.commit()
    return port_call


def level_history(session: Session, limit: int = 50) -> list[LevelRecord]:
    """Return the latest changes of level, newest first."""
    stmt = (
        select(LevelChange, PortCall.port_name, User.display_name)
        .outerjoin(PortCall, PortCall.id == LevelChange.port_call_id)
        .join(User, User.id == LevelChange.recorded_by_id)
        .order_by(LevelChange.recorded_at.desc(), LevelChange.id.desc())
        .limit(limit)
    )
    return [LevelRecord(change, port, who) for change, port, who in session.execute(stmt)]


def level_state(session: Session, now: datetime) -> LevelState:
    """Return the level in force, its latest record, the port's level and the DoS prompt."""
    ship = current_ship(session)
    level = ship.security_level if ship else 1
    latest = session.scalars(
        select(LevelChange).order_by(LevelChange.recorded_at.desc(), LevelChange.id.desc())
    ).first()
    port_call = current_port_call(session)
    return LevelState(
        level=level,
        reason=latest.reason if latest else None,
        ordered_by=latest.ordered_by if latest else None,
        notified_at=latest.notified_at if latest else None,
        complied_at=latest.complied_at if latest else None,
        port_level=port_call.port_security_level if port_call else None,
        declaration_needed=declaration_needed(session, now),
    )


def declaration_needed(session: Session, now: datetime) -> bool:
    """Return whether the ship is above the port facility's level without a DoS in force."""
    ship = current_ship(session)
    port_call = current_port_call(session)
    if ship is None or port_call is None:
        return False
    stmt = select(Declaration).where(
        Declaration.port_call_id == port_call.id, Declaration.valid_until > now
    )
    in_force = any(
        is_declaration_in_force(
            d.level, d.valid_from, d.valid_until, ship_level=ship.security_level, now=now
        )
        for d in session.scalars(stmt)
    )
    return is_declaration_needed(ship.security_level, port_call.port_security_level, in_force)


def maybe_level(value: object) -> int | None:
    """Return the level, or None for the domain check to name the problem."""
    try:
        return parse_level(value)
    except BadInput:
        return None


def raise_first(problems: list[tuple[str, str]]) -> None:
    """Raise BadInput for the first (field, message) problem a domain check found, if any."""
    if problems:
        field, message = problems[0]
        raise BadInput(field, message)


def _ship(session: Session) -> Ship:
    ship = current_ship(session)
    if ship is None:
        raise BadInput("level", "No ship is set up yet.")
    return ship
