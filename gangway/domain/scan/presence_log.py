"""Who is aboard, as the chained movements say: presence is a function of the audit chain.

Rule source: ISPS Code A/10.3 (records protected against amendment) and B/9.14 (the ship knows
who is aboard). A scan moves a person's presence pointer (`person.aboard_movement_id`) outside
the ORM, so the pointer is not in the person's digest; instead it must equal what the person's
movements give when replayed in the order they were written (id order): a boarding points at
itself, a departure clears it, and a late movement (sent by an offline tablet, older than a
crossing already recorded) leaves it alone (services/scanning.py, `_write_movement`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Presence:
    """A person's presence after the movements replayed so far."""

    last_id: int = 0  # the last movement replayed
    latest_at: datetime | None = None  # the latest crossing time among them
    aboard: int | None = None  # the movement that brought them aboard (None: ashore)


def replay(
    presence: Presence,
    movement_id: int,
    direction: str,
    occurred_at: datetime,
    received_at: datetime | None,
) -> Presence:
    """Return the presence after one more movement (movements come in id order)."""
    late = occurred_at != received_at and (
        presence.latest_at is not None and presence.latest_at > occurred_at
    )
    aboard = presence.aboard
    if not late:
        aboard = movement_id if direction == "board" else None
    latest = occurred_at if presence.latest_at is None else max(presence.latest_at, occurred_at)
    return Presence(movement_id, latest, aboard)


def describe(aboard: int | None) -> str:
    """Return the presence in words for a finding."""
    return "ashore" if aboard is None else f"aboard since movement {aboard}"
