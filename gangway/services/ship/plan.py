"""The SSO's ship security plan: its access points, open at which levels and for which use
(ISPS B/9.9-9.17). Every change is checked, then committed. The ship-wide settings (searches,
escorts, passback, suspensions, responders) are in plan_settings.py.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import AccessPoint, Person, Ship
from gangway.domain.ship.plan import (
    NEW_POINT_LEVELS,
    POINT_KINDS,
    POINT_USES,
    OpenLevels,
    PlanPoint,
    check_access_plan,
    refuse_plan_change,
)
from gangway.services.errors import BadInput
from gangway.services.ship.plan_settings import responder_candidates
from gangway.services.ship.ship import current_policy, current_ship

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")


@dataclass(frozen=True)
class PlanOverview:
    """What the plan page shows: the ship's settings, every access point, problems, responders."""

    ship: Ship | None
    points: list[AccessPoint]
    problems: list[str]
    responders: list[Person]


def plan_overview(session: Session) -> PlanOverview:
    """Return the plan as it stands, with what is wrong with it."""
    points = all_access_points(session)
    problems = check_access_plan([_plan_point(p) for p in points])
    return PlanOverview(current_ship(session), points, problems, responder_candidates(session))


@dataclass(frozen=True)
class PointsNow:
    """Every access point with whether it is open at the security level in force."""

    level: int
    points: list[tuple[AccessPoint, bool]]


def access_points_now(session: Session) -> PointsNow:
    """Return every access point, disabled ones too, and whether each is open now."""
    level = int(current_policy(session).level)
    return PointsNow(
        level, [(p, _plan_point(p).is_open_at(level)) for p in all_access_points(session)]
    )


def all_access_points(session: Session) -> list[AccessPoint]:
    """Return every access point, disabled ones too, in name order."""
    return list(session.scalars(select(AccessPoint).order_by(AccessPoint.name, AccessPoint.code)))


def find_access_point(session: Session, code: str) -> AccessPoint | None:
    """Return the access point with this code, enabled or not."""
    return session.scalars(select(AccessPoint).where(AccessPoint.code == code)).first()


def update_access_point(
    session: Session,
    code: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    open_at: OpenLevels | None = None,
    is_enabled: bool | None = None,
    one_way: str | EllipsisType | None = ...,
) -> AccessPoint:
    """Change one access point, if the plan stays sound (`one_way`: ... leaves it as it is).

    :raises BadInput: unknown point, bad name, kind or use, or the change breaks the level rules.
    """
    point = find_access_point(session, code)
    if point is None:
        raise BadInput("code", f"Unknown access point: {code}.")
    name = _checked_name(name) if name is not None else point.name
    kind = _checked_kind(kind) if kind is not None else point.kind
    open_at = open_at if open_at is not None else point.open_levels
    is_enabled = point.is_enabled if is_enabled is None else is_enabled
    one_way = point.one_way if one_way is ... else _checked_use(one_way)
    changed = PlanPoint(point.code, name, is_enabled, open_at, one_way)
    _refuse_unsound(session, {point.code: changed})
    point.name, point.kind, point.is_enabled = name, kind, is_enabled
    point.open_levels = open_at
    point.one_way = one_way
    session.commit()
    return point


def save_access_plan(
    session: Session,
    codes: Collection[str],
    *,
    open_1: Collection[str],
    open_2: Collection[str],
    open_3: str | None,
    enabled: Collection[str],
    uses: dict[str, str | None] | None = None,
) -> None:
    """Set the listed points' levels, uses and enabled flags at once (the plan table), if sound.

    :raises BadInput: the new plan opens a second point at level 3 or none at level 1, or
        leaves a level where nobody can board or nobody can leave.
    """
    points = {p.code: p for p in all_access_points(session) if p.code in codes}
    uses = uses or {}
    changed = {
        code: PlanPoint(
            code,
            p.name,
            code in enabled,
            OpenLevels.from_flags((code in open_1, code in open_2, code == open_3)),
            _checked_use(uses[code]) if code in uses else p.one_way,
        )
        for code, p in points.items()
    }
    _refuse_unsound(session, changed)
    for code, plan in changed.items():
        point = points[code]
        point.is_enabled = plan.is_enabled
        point.open_levels = plan.open_levels
        point.one_way = plan.one_way
    session.commit()


def add_access_point(
    session: Session, code: str, name: str, kind: str, open_at: OpenLevels = NEW_POINT_LEVELS
) -> AccessPoint:
    """Add a means of access to the plan, if the plan stays sound.

    :raises BadInput: bad or taken code, bad name or kind, or a second point at level 3.
    """
    code = (code or "").strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise BadInput("code", "Code: 1 to 32 capital letters, digits or dashes (e.g. FWD-GW).")
    if find_access_point(session, code) is not None:
        raise BadInput("code", f"There is already an access point {code}.")
    point = AccessPoint(code=code, name=_checked_name(name), kind=_checked_kind(kind))
    point.is_enabled = True
    point.open_levels = open_at
    _refuse_unsound(session, {code: _plan_point(point)})
    session.add(point)
    session.commit()
    return point


def _refuse_unsound(session: Session, changed: dict[str, PlanPoint]) -> None:
    """Raise BadInput if replacing (or adding) these points would break the plan's level rules."""
    before = [_plan_point(p) for p in all_access_points(session)]
    after = [changed.get(p.code, p) for p in before]
    after += [p for code, p in changed.items() if code not in {b.code for b in before}]
    refusal = refuse_plan_change(before, after)
    if refusal:
        raise BadInput("open_at", refusal)


def _plan_point(point: AccessPoint) -> PlanPoint:
    return PlanPoint(point.code, point.name, point.is_enabled, point.open_levels, point.one_way)


def _checked_use(one_way: str | None) -> str | None:
    one_way = one_way or None
    if one_way not in POINT_USES:
        raise BadInput("one_way", "Use: both ways, boarding only (board) or leaving only (depart).")
    return one_way


def _checked_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise BadInput("name", "Name: 1 to 120 characters.")
    return name


def _checked_kind(kind: str | None) -> str:
    if kind not in POINT_KINDS:
        raise BadInput("kind", f"Kind: one of {', '.join(POINT_KINDS)}.")
    return kind
