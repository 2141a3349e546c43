"""The crew list the SSO and the master read: every crew member, on board or ashore, and badge."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from gangway.db.models import Badge, Movement, Person
from gangway.domain.lists.crew import FILTERS, badge_state, in_filter
from gangway.domain.scan.types import PersonKind
from gangway.services.ship.ship import current_port_call

MAX_QUERY = 120


@dataclass(frozen=True)
class CrewMember:
    """One crew member as the list shows them: presence, standing and their latest badge."""

    person: Person
    badge: Badge | None  # the latest: after a reissue or a sign-on, the one the person carries
    badge_state: str
    badges: tuple[Badge, ...] = ()

    @property
    def is_aboard(self) -> bool:
        """Tell whether the last recorded movement is a boarding."""
        return self.person.aboard_movement_id is not None

    @property
    def is_signed_on(self) -> bool:
        """Tell whether the person is one of the ship's crew now."""
        return self.person.is_enabled

    @property
    def live_badges(self) -> list[Badge]:
        """Return the badges not revoked: those a sign-off revokes."""
        return [b for b in self.badges if b.revoked_at is None]


@dataclass(frozen=True)
class CrewList:
    """The crew members of one view of the list, how many each view holds, and the port's zone."""

    members: list[CrewMember]
    counts: dict[str, int]
    query: str
    show: str
    time_zone: str = "UTC"


def parse_show(value: str | None) -> str:
    """Return the view asked for, or the default one for anything unknown."""
    return value if value in FILTERS else next(iter(FILTERS))


def crew_list(session: Session, *, query: str = "", show: str = "", now: datetime) -> CrewList:
    """Return the crew matching the search (name, rank, document), in one view, by name."""
    query, show = query.strip()[:MAX_QUERY], parse_show(show)
    persons = _search(session, query)
    badges = _badges_of(session, [p.id for p in persons])
    everyone = [_member(p, badges.get(p.id, ()), now) for p in persons]
    counts = Counter(
        name
        for m in everyone
        for name in FILTERS
        if in_filter(name, is_signed_on=m.is_signed_on, is_aboard=m.is_aboard)
    )
    members = [
        m for m in everyone if in_filter(show, is_signed_on=m.is_signed_on, is_aboard=m.is_aboard)
    ]
    call = current_port_call(session)
    zone = call.timezone if call else "UTC"
    return CrewList(members, {name: counts[name] for name in FILTERS}, query, show, zone)


def crew_member(session: Session, person_id: int, now: datetime) -> CrewMember | None:
    """Return one crew member with their badges, or None if there is no such crew member."""
    person = session.get(Person, person_id)
    if person is None or person.kind != PersonKind.CREW:
        return None
    return _member(person, _badges_of(session, [person.id]).get(person.id, ()), now)


def _search(session: Session, query: str) -> list[Person]:
    """Return the crew whose name, rank or document number holds every word of the query."""
    words = [f"%{word}%" for word in query.split()[:4]]  # "Erik Hansen": both words must hit
    columns = (Person.family_name, Person.given_names, Person.rank, Person.document_number)
    stmt = (
        select(Person)
        .where(Person.kind == PersonKind.CREW)
        .where(*(or_(*(c.ilike(w) for c in columns)) for w in words))
        .options(
            joinedload(Person.aboard_movement).joinedload(Movement.access_point),
            selectinload(Person.renames),
        )
        .order_by(Person.family_name, Person.given_names, Person.id)
    )
    return list(session.scalars(stmt))


def _badges_of(session: Session, person_ids: list[int]) -> dict[int, tuple[Badge, ...]]:
    """Return each person's badges, oldest first."""
    found: dict[int, list[Badge]] = {}
    stmt = select(Badge).where(Badge.person_id.in_(person_ids)).order_by(Badge.id)
    for badge in session.scalars(stmt):
        found.setdefault(badge.person_id, []).append(badge)
    return {person_id: tuple(badges) for person_id, badges in found.items()}


def _member(person: Person, badges: tuple[Badge, ...], now: datetime) -> CrewMember:
    latest = badges[-1] if badges else None
    state = badge_state(
        latest.valid_from if latest else None,
        latest.valid_until if latest else None,
        latest.revoked_at if latest else None,
        now,
    )
    return CrewMember(person, latest, state, badges)
