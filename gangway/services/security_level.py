"""The ship's security level, the port facility's, their records and Declarations of Security.

Each change of level is a new LevelChange row (ISPS A/10.1.4; 33 CFR 104.235), never an edit;
the ship's level in force is the one the gangway rules read. These functions commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.declarations import (
    check_declaration,
    check_level_change,
    is_declaration_in_force,
    is_declaration_needed,
)
from ..models import Declaration, LevelChange, PortCall, Ship, User
from .errors import BadInput
from .ship import current_port_call, current_ship

MAX_REASON = 255
MAX_NAME = 120


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
        level=_maybe_level(level),
        reason=reason,
        ordered_by=ordered_by,
        notified_at=notified_at,
        complied_at=complied_at,
    )
    if not problems and len(reason) > MAX_REASON:
        problems.append(("reason", f"Keep the reason under {MAX_REASON} characters."))
    _raise_first(problems)
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
    _raise_first(
        check_declaration(
            level=_maybe_level(level),
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


def _maybe_level(value: object) -> int | None:
    try:
        return parse_level(value)
    except BadInput:
        return None


def _clean(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise BadInput(field, f"Keep it under {limit} characters.")
    return value


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise BadInput(field, message)


def _ship(session: Session) -> Ship:
    ship = current_ship(session)
    if ship is None:
        raise BadInput("level", "No ship is set up yet.")
    return ship
