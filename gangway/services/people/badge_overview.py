"""The SSO's view of temporary badges: active, expiring soon, expired, revoked, overstaying."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from gangway.db.models import Badge, Person

EXPIRING_WITHIN = timedelta(hours=6)
RECENT = timedelta(days=7)


@dataclass(frozen=True)
class BadgeOverview:
    """Temporary badges grouped as the SSO reviews them."""

    active: list[Badge]
    expiring: list[Badge]
    expired: list[Badge]
    revoked: list[Badge]
    overstaying: list[Badge]  # holder still aboard while the badge has lapsed


def badge_overview(session: Session, now: datetime) -> BadgeOverview:
    """Group the temporary badges of the last week by state."""
    stmt = (
        select(Badge)
        .join(Badge.person)
        .where(~Badge.is_permanent, Badge.valid_until > now - RECENT)
        .options(joinedload(Badge.person), joinedload(Badge.port_call))
        .order_by(Badge.valid_until)
    )
    badges = list(session.scalars(stmt))
    revoked = [b for b in badges if b.revoked_at is not None]
    live = [b for b in badges if b.revoked_at is None]
    expired = [b for b in live if ends(b) <= now]
    active = [b for b in live if b.valid_from <= now < ends(b)]
    expiring = [b for b in active if ends(b) <= now + EXPIRING_WITHIN]
    overstaying = [b for b in expired + revoked if _aboard(b.person) and _is_latest(b, badges)]
    return BadgeOverview(active, expiring, expired, revoked, overstaying)


def ends(badge: Badge) -> datetime:
    """Return when a badge stops counting: its end, or its port call's close if earlier."""
    closed = badge.port_call.departed_at if badge.port_call else None
    return min(badge.valid_until, closed) if closed else badge.valid_until


def _aboard(person: Person) -> bool:
    return person.aboard_movement_id is not None


def _is_latest(badge: Badge, badges: list[Badge]) -> bool:
    """A person with a newer, valid badge is not overstaying on the old one."""
    return not any(b.person_id == badge.person_id and b.id > badge.id for b in badges)
