"""The ship-wide settings of the security plan: searches, escorts, anti-passback, suspensions and
the level 3 responders (ISPS B/9.9-9.17). Every change is checked, then committed; the plan
revision hook (services/ship/plan_history.py) records it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Person, Ship
from gangway.domain.scan.types import PersonKind
from gangway.domain.ship.plan import check_passback, check_plan_settings, kinds_text
from gangway.services.errors import BadInput
from gangway.services.ship.ship import current_ship


def update_plan_settings(
    session: Session,
    *,
    search_percents: Sequence[str | int],
    search_crew: bool,
    escort_ratio: str | int,
    escorted_kinds: Collection[str],
) -> Ship:
    """Set the search share per level, whether crew are searched, the escort ratio and kinds.

    :raises BadInput: a value that is not a whole number or is out of range; nothing is written.
    """
    ship = _ship(session)
    percents = [_whole(f"search_percent_{n}", v) for n, v in enumerate(search_percents, 1)]
    ratio = _whole("escort_ratio", escort_ratio)
    problems = check_plan_settings(percents, ratio, escorted_kinds)
    if problems:
        raise BadInput(*problems[0])
    ship.search_percent_1, ship.search_percent_2, ship.search_percent_3 = percents
    ship.search_crew, ship.escort_ratio = search_crew, ratio
    ship.escorted_kinds = ",".join(k.value for k in PersonKind if k.value in escorted_kinds)
    session.commit()
    return ship


def set_passback(
    session: Session, *, refuse_board: Collection[str], refuse_depart: Collection[str]
) -> Ship:
    """Say per kind of person whether boarding twice or leaving twice is refused (else flagged).

    :raises BadInput: an unknown kind of person; nothing is written.
    """
    ship = _ship(session)
    problem = check_passback(refuse_board, refuse_depart)
    if problem:
        raise BadInput("passback", problem)
    ship.passback_refuse_board = kinds_text(refuse_board)
    ship.passback_refuse_depart = kinds_text(refuse_depart)
    session.commit()  # the plan revision hook records it (services/plan_history.py)
    return ship


def set_crew_at_level_3(session: Session, *, crew_board: bool) -> Ship:
    """Say whether the ship's crew board at level 3 as part of the response (B/9.17.2)."""
    ship = _ship(session)
    ship.crew_board_at_level_3 = crew_board
    session.commit()
    return ship


def set_suspension(session: Session, *, embarkation: bool, disembarkation: bool) -> Ship:
    """Suspend or resume embarkation and disembarkation (B/9.17)."""
    ship = _ship(session)
    ship.embarkation_suspended, ship.disembarkation_suspended = embarkation, disembarkation
    session.commit()
    return ship


def set_responder(session: Session, person_id: int, is_responder: bool) -> Person:
    """Mark an authority as responding to the incident (or not): they may board at level 3.

    :raises BadInput: no such person, or not an authority.
    """
    person = session.get(Person, person_id)
    if person is None or person.kind != PersonKind.AUTHORITY:
        raise BadInput("person_id", "Only authorities can be marked as responding.")
    person.is_responder = is_responder
    session.commit()
    return person


def responder_candidates(session: Session) -> list[Person]:
    """Return the enabled authorities, by name: who may be marked as responding."""
    stmt = (
        select(Person)
        .where(Person.kind == PersonKind.AUTHORITY.value, Person.is_enabled)
        .order_by(Person.family_name, Person.given_names)
    )
    return list(session.scalars(stmt))


def _whole(field: str, value: str | int) -> int:
    if isinstance(value, bool):
        raise BadInput(field, "Give a whole number.")
    try:
        return int(str(value).strip())
    except ValueError:
        raise BadInput(field, "Give a whole number.") from None


def _ship(session: Session) -> Ship:
    ship = current_ship(session)
    if ship is None:
        raise BadInput("ship", "No ship is set up yet: run `flask seed-demo` or create it.")
    return ship
