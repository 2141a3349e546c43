"""Pure aggregations for the end-of-port-call report, and the hash that freezes its records.

Rule source: SOLAS XI-2/9.2.1 and ISPS A/10.1 (records of security activities the ship keeps and
shows on request): who crossed, who was refused and why, searches, escorts, level changes and
Declarations of Security during the call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from gangway.domain.scan.types import PersonKind

VISITOR_KINDS = frozenset({"visitor", "contractor", "authority"})
SEARCH_DECLINED = "search_declined"


class MovementRow(NamedTuple):
    """One recorded boarding or departure, as the report shows and hashes it."""

    id: int
    occurred_at: datetime
    direction: str
    kind: str
    person_id: int
    purpose: str | None
    searched: bool
    escorted: bool
    method: str
    person_name: str = ""
    access_point: str = ""


class RefusalRow(NamedTuple):
    """One refused attempt to cross."""

    id: int
    occurred_at: datetime
    reason_code: str
    reason_codes: str
    reason_message: str
    direction: str
    person_id: int | None
    purpose: str | None
    method: str


class FollowUpRow(NamedTuple):
    """The SSO's follow-up of a refusal."""

    id: int
    refusal_id: int
    acknowledged_at: datetime
    description: str | None
    response: str | None
    reported_to_cso_at: datetime | None
    reported_to_pfso_at: datetime | None
    reported_to_authorities_at: datetime | None


class RefusalParty(NamedTuple):
    """Who was refused and where, for people to read; the records hash has the ids instead."""

    refusal_id: int
    person_name: str | None
    person_kind: str | None
    company: str | None
    access_point: str


class FollowUpParty(NamedTuple):
    """Who acknowledged a refusal and the follow-up's details the hash rows leave out."""

    follow_up_id: int
    acknowledged_by: str | None
    location_in_port: str | None
    location_on_vessel: str | None
    authorities: str | None


class LevelRow(NamedTuple):
    """A change of the ship's security level during the call."""

    id: int
    level: int
    reason: str
    ordered_by: str
    notified_at: datetime
    complied_at: datetime | None


class DeclarationRow(NamedTuple):
    """A Declaration of Security made for the call."""

    id: int
    level: int
    ship_party_name: str
    port_party_name: str
    reason: str
    valid_from: datetime
    valid_until: datetime
    signed_at: datetime


@dataclass(frozen=True)
class Summary:
    """The report's counts."""

    boardings: dict[str, int]
    departures: dict[str, int]
    visitors_by_purpose: dict[str, int]
    refusals_by_reason: dict[str, int]
    searches_done: int
    searches_declined: int
    escorts: int
    max_on_board: int
    max_on_board_at: datetime | None
    visitors_aboard_at_departure: int
    badges_issued: int
    badges_revoked: int
    refusals: int = field(default=0)


def summarise(
    movements: Sequence[MovementRow],
    refusals: Sequence[RefusalRow],
    *,
    aboard_at_start: int,
    visitors_aboard_at_departure: int,
    badges: Iterable[tuple[datetime, datetime | None]],
    start: datetime,
    end: datetime | None,
) -> Summary:
    """Count what happened during the call; `badges` are (issued_at, revoked_at) pairs."""
    peak, peak_at = peak_on_board(movements, aboard_at_start)
    issued, revoked = badge_counts(badges, start, end)
    return Summary(
        boardings=_by_kind(m.kind for m in movements if m.direction == "board"),
        departures=_by_kind(m.kind for m in movements if m.direction == "depart"),
        visitors_by_purpose=visitors_by_purpose(movements),
        refusals_by_reason=dict(Counter(r.reason_code for r in refusals).most_common()),
        searches_done=sum(1 for m in movements if m.searched),
        searches_declined=sum(1 for r in refusals if SEARCH_DECLINED in r.reason_codes.split(",")),
        escorts=sum(1 for m in movements if m.escorted),
        max_on_board=peak,
        max_on_board_at=peak_at,
        visitors_aboard_at_departure=visitors_aboard_at_departure,
        badges_issued=issued,
        badges_revoked=revoked,
        refusals=len(refusals),
    )


def _by_kind(kinds: Iterable[str]) -> dict[str, int]:
    counts = Counter(kinds)
    return {kind.value: counts.get(kind.value, 0) for kind in PersonKind}


def visitors_by_purpose(movements: Iterable[MovementRow]) -> dict[str, int]:
    """Count distinct visitors, contractors and authorities boarding, per stated purpose."""
    seen: dict[str, set[int]] = {}
    for m in movements:
        if m.direction == "board" and m.kind in VISITOR_KINDS:
            seen.setdefault(m.purpose or "(none given)", set()).add(m.person_id)
    return dict(sorted(((p, len(ids)) for p, ids in seen.items()), key=lambda x: (-x[1], x[0])))


def _on_board_counts(movements: Iterable[MovementRow], aboard_at_start: int):
    """Yield (time, persons on board) after each movement, in time order.

    A person counts once: a second boarding without a departure between (anti-passback only
    flags it by default) or a departure of someone already ashore changes nothing. A person's
    first movement in the call decides: a departure means they were among those aboard at start.
    """
    count, aboard = aboard_at_start, {}
    for m in movements:
        boarding = m.direction == "board"
        if aboard.get(m.person_id) is not boarding:
            count = count + 1 if boarding else max(count - 1, 0)
            aboard[m.person_id] = boarding
        yield m.occurred_at, count


def on_board_series(
    movements: Iterable[MovementRow], aboard_at_start: int, start: datetime
) -> list[tuple[datetime, int]]:
    """Return the persons on board as a step series, from `start`, one step per movement."""
    return [(start, aboard_at_start), *_on_board_counts(movements, aboard_at_start)]


def peak_on_board(
    movements: Iterable[MovementRow], aboard_at_start: int
) -> tuple[int, datetime | None]:
    """Return the most persons on board at once and when that was first reached."""
    peak, peak_at = aboard_at_start, None
    for at, count in _on_board_counts(movements, aboard_at_start):
        if count > peak:
            peak, peak_at = count, at
    return peak, peak_at


def movements_per_hour(movements: Iterable[MovementRow]) -> list[tuple[datetime, int, int]]:
    """Return (hour start, boardings, departures) for every hour from the first to the last."""
    boards: Counter[datetime] = Counter()
    departs: Counter[datetime] = Counter()
    hour = next_hour = None
    for m in movements:
        at = m.occurred_at
        if hour is None or not hour <= at < next_hour:  # in time order this is rarely true
            hour = at.replace(minute=0, second=0, microsecond=0)
            next_hour = hour + timedelta(hours=1)
        (boards if m.direction == "board" else departs)[hour] += 1
    hours = boards.keys() | departs.keys()
    if not hours:
        return []
    hour, last, out = min(hours), max(hours), []
    while hour <= last:
        out.append((hour, boards.get(hour, 0), departs.get(hour, 0)))
        hour += timedelta(hours=1)
    return out


def badge_counts(
    badges: Iterable[tuple[datetime, datetime | None]], start: datetime, end: datetime | None
) -> tuple[int, int]:
    """Count badges issued and revoked between `start` and `end` (open-ended when None)."""

    def within(at: datetime | None) -> bool:
        return at is not None and at >= start and (end is None or at <= end)

    issued = revoked = 0
    for issued_at, revoked_at in badges:
        issued += within(issued_at)
        revoked += within(revoked_at)
    return issued, revoked
