"""Ship-wide state the other services read: the ship, its level, the current port call."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..domain.types import PersonKind, Policy, SecurityLevel
from ..models import AccessPoint, PortCall, Ship
from ..prepared import Prepared
from .errors import BadInput
from .scan_rows import connection


def current_ship(session: Session) -> Ship | None:
    """Return the ship record (one per installation)."""
    return session.scalars(select(Ship).order_by(Ship.id).limit(1)).first()


_POLICY = (
    select(
        Ship.security_level,
        Ship.embarkation_suspended,
        Ship.disembarkation_suspended,
        Ship.escorted_kinds,
        Ship.escort_ratio,
        Ship.search_percent_1,
        Ship.search_percent_2,
        Ship.search_percent_3,
        Ship.search_crew,
    )
    .order_by(Ship.id)
    .limit(1)
)
_POLICY_ROW = Prepared(_POLICY, named=True)


def current_policy(session: Session) -> Policy:
    """Return the ship security plan's rules for the level in force (level 1 if no ship yet)."""
    ship = _POLICY_ROW.first(connection(session))  # read on every scan: columns, not the entity
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


_OPEN_CALLS = (
    select(PortCall).where(PortCall.departed_at.is_(None)).order_by(PortCall.arrived_at.desc())
)
_OPEN_CALL_ID = Prepared(_OPEN_CALLS.with_only_columns(PortCall.id).limit(1))


def current_port_call(session: Session) -> PortCall | None:
    """Return the open port call, if the ship is in port."""
    return session.scalars(_OPEN_CALLS.limit(1)).first()


def current_port_call_id(session: Session) -> int | None:
    """Return the open port call's id (what every record written needs of it)."""
    return _OPEN_CALL_ID.scalar(connection(session))


def list_access_points(session: Session) -> list[AccessPoint]:
    """Return the enabled access points in name order."""
    stmt = select(AccessPoint).where(AccessPoint.is_enabled).order_by(AccessPoint.name)
    return list(session.scalars(stmt))


_POINT = select(AccessPoint).where(AccessPoint.code == bindparam("code"), AccessPoint.is_enabled)


def access_point_by_code(session: Session, code: str | None) -> AccessPoint:
    """Return the enabled access point with this code.

    :raises BadInput: unknown or disabled access point.
    """
    point = session.scalars(_POINT, {"code": code.strip()}).first() if code else None
    if point is None:
        raise BadInput("access_point", "Unknown access point: choose one from the list.")
    return point
