"""The muster list: everyone recorded aboard, by kind, with where they boarded (ISPS B/9.17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from gangway.db.models import Person
from gangway.domain.reporting.reports import count_by_kind
from gangway.services.scan.presence import boarded_late, persons_on_board
from gangway.services.ship.ship import current_ship


@dataclass(frozen=True)
class Muster:
    """Who is on board at `taken_at`, grouped by kind in the order the counts are given."""

    ship_name: str
    taken_at: datetime
    counts: dict[str, int]
    groups: list[tuple[str, list[Person]]]

    @property
    def total(self) -> int:
        """Return the number of persons on board."""
        return sum(self.counts.values())


def muster_list(session: Session, *, now: datetime, default_ship_name: str) -> Muster:
    """Return the persons on board now, grouped by kind (kinds with nobody are left out).

    A person whose boarding was sent late, older than a departure, is listed too (marked): the
    last the ship heard of them is that they walked aboard (services/presence.py).
    """
    ship = current_ship(session)
    persons = [*persons_on_board(session).persons, *boarded_late(session)]
    counts = count_by_kind(p.kind for p in persons)
    groups = [(kind, [p for p in persons if p.kind == kind]) for kind, n in counts.items() if n]
    return Muster(ship.name if ship else default_ship_name, now, counts, groups)
