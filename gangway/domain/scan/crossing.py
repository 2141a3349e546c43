"""Which way a person crosses the gangway, and the purpose recorded with the crossing.

- Direction belongs to each scan: by default a scan moves the person across (one recorded aboard
  is leaving, one ashore is boarding), and the watch may set the direction of one scan. An access
  point may be kept for embarking or for disembarking only (ISPS B/9.14.5: segregating embarking
  from disembarking passengers); there that is the only direction.
- Purpose belongs to the person (B/9.14.1: the reason for boarding is confirmed from joining
  instructions, tickets, work orders): a registered visitor's purpose is the one on record; the
  watch states one only for a person who has none. Crew and passengers board on their articles or
  their ticket and never carry a visit purpose.
"""

from __future__ import annotations

from gangway.domain.scan.types import AccessPointFacts, Direction, PersonKind

NO_VISIT_PURPOSE = frozenset({PersonKind.CREW, PersonKind.PASSENGER})
_WAY_WORDS = {Direction.BOARD: "boarding", Direction.DEPART: "leaving"}


class WrongWay(ValueError):
    """A direction asked for at an access point that the plan keeps for the other one."""


def choose_direction(
    asked: Direction | None, *, is_aboard: bool, point: AccessPointFacts | None
) -> Direction:
    """Return the direction of this crossing: the point's only one, the asked one, or across.

    :raises WrongWay: the watch (or a client) asked for the direction the point does not serve.
    """
    one_way = point.one_way if point else None
    if one_way is not None:
        if asked is not None and asked is not one_way:
            raise WrongWay(f"{point.name} is for {_WAY_WORDS[one_way]} only.")
        return one_way
    if asked is not None:
        return asked
    return Direction.DEPART if is_aboard else Direction.BOARD


def visit_purpose(kind: PersonKind, on_record: str | None, stated: str | None) -> str | None:
    """Return the purpose to record: none for crew and passengers, else the registered one, else
    the one the watch was told."""
    if kind in NO_VISIT_PURPOSE:
        return None
    for text in (on_record, stated):
        if text and text.strip():
            return text.strip()
    return None
