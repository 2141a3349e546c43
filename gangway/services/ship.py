"""Ship-wide state the other services read: the ship, its level, the current port call."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.types import PersonKind, Policy, SecurityLevel
from ..models import AccessPoint, PortCall, Ship
from .errors import BadInput


def current_ship(session: Session) -> Ship | None:
    """Return the ship record (one per installation)."""
    return session.scalars(select(Ship).order_by(Ship.id).limit(1)).first()


def current_policy(session: Session) -> Policy:
    """Return the ship security plan's rules for the level in force (level 1 if no ship yet)."""
    ship = current_ship(session)
    if ship is None:
        return Policy()
    level = SecurityLevel(ship.security_level)
    percent = {1: ship.search_percent_1, 2: ship.search_percent_2, 3: ship.search_percent_3}[level]
    kinds = frozenset(PersonKind(k) for k in ship.escorted_kinds.split(",") if k.strip())
    return Policy(
        level=level,
        embarkation_suspended=ship.embarkation_suspended,
        disembarkation_suspended=ship.disembarkation_suspended,
        escorted_kinds=kinds,
        escort_ratio=ship.escort_ratio,
        search_rate=percent / 100,
        search_crew=ship.search_crew,
    )


def current_port_call(session: Session) -> PortCall | None:
    """Return the open port call, if the ship is in port."""
    stmt = (
        select(PortCall).where(PortCall.departed_at.is_(None)).order_by(PortCall.arrived_at.desc())
    )
    return session.scalars(stmt.limit(1)).first()


def list_access_points(session: Session) -> list[AccessPoint]:
    """Return the enabled access points in name order."""
    stmt = select(AccessPoint).where(AccessPoint.is_enabled).order_by(AccessPoint.name)
    return list(session.scalars(stmt))


def access_point_by_code(session: Session, code: str | None) -> AccessPoint:
    """Return the enabled access point with this code.

    :raises BadInput: unknown or disabled access point.
    """
    point = None
    if code:
        stmt = select(AccessPoint).where(AccessPoint.code == code.strip(), AccessPoint.is_enabled)
        point = session.scalars(stmt).first()
    if point is None:
        raise BadInput("access_point", "Unknown access point: choose one from the list.")
    return point
