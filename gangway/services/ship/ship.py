"""Ship-wide state the other services read: the ship, its level, the current port call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import AccessPoint, LevelChange, PortCall, Ship
from gangway.db.prepared import Prepared
from gangway.domain.scan.types import PersonKind, Policy, SecurityLevel
from gangway.services.errors import BadInput
from gangway.services.scan.rows import PointRow, connection, point_row
from gangway.services.ship.plan_history import plan_at


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
        Ship.crew_board_at_level_3,
        Ship.passback_refuse_board,
        Ship.passback_refuse_depart,
    )
    .order_by(Ship.id)
    .limit(1)
)
_POLICY_ROW = Prepared(_POLICY, named=True)


def current_policy(session: Session) -> Policy:
    """Return the ship security plan's rules for the level in force (level 1 if no ship yet)."""
    ship = _POLICY_ROW.first(connection(session))  # read on every scan: columns, not the entity
    return _policy(ship, ship.security_level) if ship else Policy()


def _policy(ship, level: int) -> Policy:
    level = SecurityLevel(level)
    percent = {1: ship.search_percent_1, 2: ship.search_percent_2, 3: ship.search_percent_3}[level]
    return Policy(
        level=level,
        embarkation_suspended=ship.embarkation_suspended,
        disembarkation_suspended=ship.disembarkation_suspended,
        escorted_kinds=_kinds(ship.escorted_kinds),
        escort_ratio=ship.escort_ratio,
        search_rate=percent / 100,
        search_crew=ship.search_crew,
        crew_board_at_level_3=ship.crew_board_at_level_3,
        passback_refuse_board=_kinds(ship.passback_refuse_board),
        passback_refuse_depart=_kinds(ship.passback_refuse_depart),
    )


def _kinds(names: str | None) -> frozenset[PersonKind]:
    """Return the kinds of person in a comma-separated column."""
    return frozenset(PersonKind(k) for k in (names or "").split(",") if k.strip())


# A check sent late by an offline tablet is judged and filed as of its scan time (the caller
# decides what is late): these are read only for such checks, never on a live scan.
_LEVEL_AT = Prepared(
    select(LevelChange.level)
    .where(LevelChange.recorded_at <= bindparam("at"))
    .order_by(LevelChange.recorded_at.desc(), LevelChange.id.desc())
    .limit(1)
)
_ANY_LEVEL_CHANGE = Prepared(select(LevelChange.id).limit(1))
_CALL_AT = Prepared(
    select(PortCall.id)
    .where(
        PortCall.arrived_at <= bindparam("at"),
        or_(PortCall.departed_at.is_(None), PortCall.departed_at > bindparam("at")),
    )
    .order_by(PortCall.arrived_at.desc(), PortCall.id.desc())
    .limit(1)
)


def policy_at(session: Session, at: datetime, plan=None) -> Policy:
    """Return the plan's rules under the security level and the plan in force at `at`.

    A level is in force from the moment the SSO recorded it (`set_level` puts it in force then,
    and tablets follow within seconds): the latest change recorded at or before `at`. Before
    the first recorded change the ship was at level 1 (a new ship's level; only `set_level`
    changes it); with no change recorded at all, the level is the ship's own. The measures
    (suspensions, search rates, escorted kinds) are those of the plan revision in force then
    (services/plan_history.py), `plan` when the caller has read it already; which access
    points were open, see `point_as_of`.
    """
    conn = connection(session)
    ship = _POLICY_ROW.first(conn)
    if ship is None:
        return Policy()
    level = _LEVEL_AT.scalar(conn, {"at": at})
    if level is None:
        level = 1 if _ANY_LEVEL_CHANGE.scalar(conn) is not None else ship.security_level
    return _policy(plan or plan_at(session, at) or ship, level)


def port_call_id_at(session: Session, at: datetime) -> int | None:
    """Return the port call whose stay [arrived_at, departed_at) holds `at`, if any."""
    return _CALL_AT.scalar(connection(session), {"at": at})


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


def access_point_by_code(
    session: Session, code: str | None, *, enabled_only: bool = True
) -> PointRow:
    """Return the enabled access point with this code (or a disabled one, closed at every level).

    :raises BadInput: unknown (or disabled) access point.
    """
    code = code.strip() if code else ""
    point = point_row(session, code, enabled_only=enabled_only) if code else None
    if point is None:
        raise BadInput("access_point", "Unknown access point: choose one from the list.")
    return point
