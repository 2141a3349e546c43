"""Refused entries for the SSO: the board, the alert, the incident report (B/9.12).

The SSO's follow-ups are written by gangway.services.ship.follow_ups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from gangway.db.models import PortCall, Refusal, RefusalFollowUp, User
from gangway.services.ship.ship import current_port_call, current_ship


@dataclass
class RefusalEntry:
    """A refusal with who recorded it, its port call and its follow-ups (oldest first)."""

    refusal: Refusal
    recorded_by: User | None
    port_call: PortCall | None
    follow_ups: list[RefusalFollowUp] = field(default_factory=list)
    acknowledged_by: dict[int, User] = field(default_factory=dict)  # user id -> user

    @property
    def is_acknowledged(self) -> bool:
        """Tell whether the SSO has written at least one follow-up."""
        return bool(self.follow_ups)

    @property
    def latest(self) -> RefusalFollowUp | None:
        """Return the newest follow-up, if any."""
        return self.follow_ups[-1] if self.follow_ups else None


def _unacknowledged():
    return ~exists(select(RefusalFollowUp.id).where(RefusalFollowUp.refusal_id == Refusal.id))


def recent_refusals(
    session: Session,
    *,
    since: datetime | None = None,
    unacknowledged_only: bool = False,
    acknowledged_only: bool = False,
    limit: int = 100,
) -> list[RefusalEntry]:
    """Return refusals newest first with person, access point, watch, port call and follow-ups."""
    stmt = select(Refusal).options(selectinload(Refusal.person), selectinload(Refusal.access_point))
    if since is not None:
        stmt = stmt.where(Refusal.occurred_at >= since)
    if unacknowledged_only:
        stmt = stmt.where(_unacknowledged())
    elif acknowledged_only:
        stmt = stmt.where(~_unacknowledged())
    refusals = list(session.scalars(stmt.order_by(Refusal.id.desc()).limit(limit)))
    return _entries(session, refusals)


def refusal_entry(session: Session, refusal_id: int) -> RefusalEntry | None:
    """Return one refusal with everything the incident report shows, or None."""
    refusal = session.get(Refusal, refusal_id)
    return _entries(session, [refusal])[0] if refusal else None


def refusals_for_review(session: Session, limit: int = 100) -> dict:
    """Return the SSO's board: every unacknowledged refusal, then recent acknowledged ones."""
    call = current_port_call(session)
    return {
        "count": unacknowledged_count(session),
        "open": recent_refusals(session, unacknowledged_only=True, limit=limit),
        "done": recent_refusals(session, acknowledged_only=True, limit=limit // 4),
        "zone": call.timezone if call else None,  # for the port time beside a time typed in UTC
    }


def unacknowledged_count(session: Session) -> int:
    """Return how many refusals no follow-up has acknowledged yet."""
    return session.scalar(select(func.count(Refusal.id)).where(_unacknowledged())) or 0


def alert_state(session: Session) -> dict:
    """Return the polled alert's content: the open count and the newest open refusal."""
    newest = recent_refusals(session, unacknowledged_only=True, limit=1)
    return {"count": unacknowledged_count(session), "newest": newest[0] if newest else None}


def ship_name(session: Session, default: str) -> str:
    """Return the ship's name for the incident report."""
    ship = current_ship(session)
    return ship.name if ship else default


def _entries(session: Session, refusals: list[Refusal]) -> list[RefusalEntry]:
    """Attach watch users, port calls and follow-ups with one query each (no N+1)."""
    ids = [r.id for r in refusals]
    follow_ups = list(
        session.scalars(
            select(RefusalFollowUp)
            .where(RefusalFollowUp.refusal_id.in_(ids))
            .order_by(RefusalFollowUp.id)
        )
    )
    user_ids = {r.recorded_by_id for r in refusals} | {f.acknowledged_by_id for f in follow_ups}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    call_ids = {r.port_call_id for r in refusals if r.port_call_id}
    calls = {c.id: c for c in session.scalars(select(PortCall).where(PortCall.id.in_(call_ids)))}
    entries = []
    for refusal in refusals:
        own = [f for f in follow_ups if f.refusal_id == refusal.id]
        entries.append(
            RefusalEntry(
                refusal,
                users.get(refusal.recorded_by_id),
                calls.get(refusal.port_call_id),
                own,
                {f.acknowledged_by_id: users[f.acknowledged_by_id] for f in own},
            )
        )
    return entries
