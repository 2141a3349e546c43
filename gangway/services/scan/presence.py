"""Who is on board right now (SSO, master, and the watch's counter)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from gangway.db.models import Movement, Person
from gangway.domain.reporting.reports import count_by_kind
from gangway.domain.scan.types import Direction, PersonKind


@dataclass(frozen=True)
class OnBoard:
    """The persons on board, with their boarding movement, and the count per kind."""

    persons: list[Person]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Return the total number of persons on board."""
        return sum(self.counts.values())


def persons_on_board(session: Session) -> OnBoard:
    """Return everyone whose last recorded movement is a boarding, by kind then name."""
    stmt = (
        select(Person)
        .where(Person.aboard_movement_id.is_not(None))
        .options(
            joinedload(Person.aboard_movement).joinedload(Movement.access_point),
            joinedload(Person.aboard_movement).joinedload(Movement.escort),
            selectinload(Person.renames),
        )
        .order_by(Person.kind, Person.family_name, Person.given_names)
    )
    persons = list(session.scalars(stmt))
    return OnBoard(persons, count_by_kind(p.kind for p in persons))


def count_on_board(session: Session) -> dict[str, int]:
    """Return only the counts per kind (cheap enough to poll)."""
    stmt = (
        select(Person.kind, func.count())
        .where(Person.aboard_movement_id.is_not(None))
        .group_by(Person.kind)
    )
    rows = dict(session.execute(stmt).tuples().all())
    return {kind: rows.get(kind, 0) for kind in count_by_kind([])}


def crew_aboard(session: Session) -> list[Person]:
    """Return the crew recorded aboard, by name: who can be picked as an escort."""
    stmt = (
        select(Person)
        .where(
            Person.kind == PersonKind.CREW.value,
            Person.aboard_movement_id.is_not(None),
            Person.is_enabled,
        )
        .order_by(Person.family_name, Person.given_names)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class BoardedLate:
    """A person whose last word to the ship is a boarding sent late (older than a departure).

    Reads as the person, with that boarding as `aboard_movement`, so lists show it as one.
    """

    person: Person
    aboard_movement: Movement
    boarded_late: bool = True

    def __getattr__(self, name: str):
        return getattr(self.person, name)


def boarded_late(session: Session) -> list[BoardedLate]:
    """Return the persons recorded ashore whose last movement received is a boarding.

    A late boarding older than the person's last crossing leaves presence as that crossing set
    it (services/scan_writes.py): by the clock they left afterwards. For the muster list
    (B/9.17: everyone who may be aboard in an emergency) the last thing the ship heard of them
    is that they walked aboard, so they are listed, marked, until a crossing settles it.
    """
    last = (
        select(Movement.person_id, func.max(Movement.id).label("movement_id"))
        .group_by(Movement.person_id)
        .subquery()
    )
    stmt = (
        select(Person, Movement)
        .join(last, last.c.person_id == Person.id)
        .join(Movement, Movement.id == last.c.movement_id)
        .where(Person.aboard_movement_id.is_(None), Movement.direction == Direction.BOARD.value)
        .options(joinedload(Movement.access_point))
        .order_by(Person.kind, Person.family_name, Person.given_names)
    )
    return [BoardedLate(person, movement) for person, movement in session.execute(stmt)]
