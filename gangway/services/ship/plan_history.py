"""The plan's history: a revision is added whenever the measures or an access point change.

A tablet that was offline sends its checks later, and each is judged as of the moment it was
made: the level in force then (LevelChange), and the plan in force then, read here. The
revision is added by a session hook in the flush that changes the plan, so every writer (the
SSO's pages, the API, the CLI, the demo seed) leaves one, in the same transaction, and it is
chained like every record (a suspension of embarkation, B/9.17, is a security measure taken).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import Session

from gangway.db.listeners import listen_once
from gangway.db.models import AccessPoint, PlanRevision, Ship
from gangway.db.prepared import Prepared
from gangway.db.types import utcnow
from gangway.domain.ship.plan import MEASURES, OPEN_COLUMNS, OpenLevels
from gangway.services.scan.rows import PointRow, connection

POINT_PLAN = ("code", "is_enabled", *OPEN_COLUMNS, "one_way")
_ONE_WAY = {"board": "b", "depart": "d"}
R = PlanRevision.__table__.c
_COLUMNS = [R[name] for name in (*MEASURES, "open_points")]
_AT = Prepared(
    select(*_COLUMNS)
    .where(R.recorded_at <= bindparam("at"))
    .order_by(R.recorded_at.desc(), R.id.desc())
    .limit(1),
    named=True,
)
_FIRST = Prepared(select(*_COLUMNS).order_by(R.recorded_at, R.id).limit(1), named=True)


def plan_at(session: Session, at: datetime):
    """Return the plan revision in force at `at` (before the first one: the first one), as a
    row with the Ship's measure names plus `open_points`; None when none was ever recorded."""
    conn = connection(session)
    return _AT.first(conn, {"at": at}) or _FIRST.first(conn)


def point_as_of(revision, point: PointRow) -> PointRow:
    """Return the access point open at the levels, and one-way or not, as the revision gave it
    (closed at every level when it was not an enabled access point then)."""
    flags = json.loads(revision.open_points).get(point.code, OpenLevels().text())
    one_way = next((way for way, mark in _ONE_WAY.items() if flags[3:] == mark), None)
    return point._replace(**OpenLevels.from_text(flags[:3]).columns(), one_way=one_way)


def revision_of(ship: Ship, points: list[AccessPoint], now: datetime) -> PlanRevision:
    """Return the revision recording the ship's measures and its enabled access points now."""
    open_points = {
        _value(p, "code"): OpenLevels.from_flags(_value(p, name) for name in OPEN_COLUMNS).text()
        + _ONE_WAY.get(_value(p, "one_way"), "")
        for p in points
        if _value(p, "is_enabled")
    }
    return PlanRevision(
        recorded_at=now,
        open_points=json.dumps(open_points, sort_keys=True, separators=(",", ":")),
        **{name: _value(ship, name) for name in MEASURES},
    )


def _value(obj, name: str):
    """Return an attribute, or its column's default for a new row not flushed yet."""
    value = getattr(obj, name)
    if value is None:
        default = obj.__table__.c[name].default
        value = default.arg if default is not None and not callable(default.arg) else None
    return value


def _touches_plan(session: Session) -> bool:
    """Tell whether the flush adds, removes or changes the measures or an access point's plan
    (a new level, a renamed point: no)."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Ship | AccessPoint):
            continue
        if obj in session.new or obj in session.deleted:
            return True
        state, columns = inspect(obj), MEASURES if isinstance(obj, Ship) else POINT_PLAN
        if any(state.attrs[name].history.has_changes() for name in columns):
            return True
    return False


def register_listeners() -> None:
    """Record a plan revision in every flush that changes the plan (create_app calls it)."""
    # First of the before_flush listeners: the revision's row is chained like the others.
    listen_once(Session, "before_flush", _revise_plan, insert=True)


def _revise_plan(session, flush_context, instances):
    """Add a revision to a flush that changes the plan (added to this flush, so chained)."""
    if not _touches_plan(session):
        return
    with session.no_autoflush:
        ship = next((o for o in session.new if isinstance(o, Ship)), None)
        ship = ship or session.scalars(select(Ship).order_by(Ship.id).limit(1)).first()
        if ship is None:
            return
        stored = list(session.scalars(select(AccessPoint)))  # in-memory values for loaded ones
    added = [o for o in session.new if isinstance(o, AccessPoint)]
    points = [p for p in (*stored, *added) if p not in session.deleted]
    session.add(revision_of(ship, points, utcnow()))
