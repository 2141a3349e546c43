"""Ship-to-ship activities (B/4.38; MSC.1/Circ.1305 3.4): recorded by the SSO, chained, listed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import StsActivity, User
from gangway.domain.reporting.security_report import StsFact
from gangway.domain.ship.particulars import check_sts
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.ship.security_level import maybe_level, raise_first

LIMITS = {
    "other_ship_name": 120,
    "other_ship_imo": 7,
    "other_ship_flag": 64,
    "location": 200,
    "measures": 2000,
    "declaration": 200,
}


def record_sts(
    session: Session,
    texts: dict[str, str | None],
    *,
    level: object,
    started_at: datetime | None,
    ended_at: datetime | None,
    procedures_maintained: bool,
    user: User,
    now: datetime,
) -> StsActivity:
    """Record a ship-to-ship activity as a new chained row; commit.

    :raises BadInput: a field too long, or the first problem check_sts finds.
    """
    values = {name: _clean(texts.get(name), limit, name) for name, limit in LIMITS.items()}
    raise_first(
        check_sts(
            other_ship_name=values["other_ship_name"] or "",
            other_ship_imo=values["other_ship_imo"],
            location=values["location"] or "",
            started_at=started_at,
            ended_at=ended_at,
            level=maybe_level(level),
            measures=values["measures"] or "",
            now=now,
        )
    )
    activity = StsActivity(
        **values,
        level=int(level),
        started_at=started_at,
        ended_at=ended_at,
        procedures_maintained=procedures_maintained,
        recorded_at=now,
        recorded_by_id=user.id,
    )
    with unit_of_work(session):
        session.add(activity)
    return activity


def sts_activities(session: Session, since: datetime | None = None) -> list[StsActivity]:
    """Return the ship-to-ship activities (those ending at or after `since`), newest first."""
    stmt = select(StsActivity).order_by(StsActivity.started_at.desc(), StsActivity.id.desc())
    if since is not None:
        stmt = stmt.where(StsActivity.ended_at >= since)
    return list(session.scalars(stmt))


def sts_facts(activities: list[StsActivity]) -> list[StsFact]:
    """Return the activities as the reports' plain values."""
    return [
        StsFact(
            a.id,
            a.other_ship_name,
            a.other_ship_imo,
            a.other_ship_flag,
            a.location,
            a.started_at,
            a.ended_at,
            a.level,
            a.measures,
            a.procedures_maintained,
            a.declaration,
        )  # fmt: skip
        for a in activities
    ]


def sts_during(session: Session, start: datetime, end: datetime | None) -> list[StsFact]:
    """Return the activities that overlap a stay (to now while it lasts), oldest first."""
    stmt = select(StsActivity).where(StsActivity.ended_at >= start)
    if end is not None:
        stmt = stmt.where(StsActivity.started_at <= end)
    return sts_facts(list(session.scalars(stmt.order_by(StsActivity.started_at, StsActivity.id))))


def _clean(value: str | None, limit: int, name: str) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise BadInput(name, f"Keep it under {limit} characters.")
    return value or None
