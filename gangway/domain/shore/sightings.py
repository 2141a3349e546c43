"""Where a person was seen across the fleet (issue 17 point 4): the records a search found,
gathered per person, and the case the CSO looks for: refused on one ship, then presented,
boarded or registered on another.

Rule source: ISPS Code B/9.12 (those who cannot establish identity or are refused are reported
to the SSO, and so to the CSO, A/11.2.4, who coordinates the fleet's security). One person is:
the same ship's person id, the same document number, or the same full name where a record has
no document (joined to a documented person only when one alone has that name: namesakes with
different documents stay apart).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gangway.domain.scan.reasons import label

REFUSED, MOVED, REGISTERED = "refusal", "movement", "person"


@dataclass(frozen=True, slots=True)
class Sighting:
    """A record a search found (a refusal, a person registered, on one ship), or a person's
    crossings in one direction in one port call counted: `count` of them, `first_at` to `at`."""

    ship_id: int
    record: str  # REFUSED, MOVED or REGISTERED
    record_id: int
    at: datetime | None  # the last of them
    person_id: int | None
    person_key: str | None  # name_keys.person_key
    document: str | None  # name_keys.document_key
    name: str
    port_call_id: int | None = None
    direction: str | None = None  # a movement's or refusal's: board or depart
    kind: str | None = None  # crew, visitor, ...
    reason_code: str | None = None  # a refusal's
    first_at: datetime | None = None  # None: the same as `at`
    count: int = 1


@dataclass
class Line:
    """What a person did on one ship in one port call: each refusal alone, crossings counted."""

    ship_id: int
    port_call_id: int | None
    what: str  # REFUSED, MOVED or REGISTERED
    first_at: datetime | None
    last_at: datetime | None
    reason: str | None = None  # a refusal's, in plain words
    kind: str | None = None  # registered as
    boarded: int = 0
    left: int = 0
    after_refusal_on: int | None = None  # the ship that refused the person before: the case


@dataclass
class Person:
    """One person found: their names and document, where they were seen, newest first."""

    names: list[str]
    documents: list[str]
    lines: list[Line] = field(default_factory=list)
    refused_then_seen: list[tuple[Sighting, Sighting, datetime]] = field(default_factory=list)
    newest_at: datetime | None = None
    on_record: list[tuple[int, int]] = field(default_factory=list)  # (ship, person record id)


def gather(sightings: list[Sighting], lines_shown: int = 100) -> list[Person]:
    """Group sightings per person; those refused then seen elsewhere first, then the newest."""
    persons = [_person(group, lines_shown) for group in _groups(sightings)]
    persons.sort(key=lambda p: (bool(p.refused_then_seen), _at(p.newest_at)), reverse=True)
    return persons


def refused_then_seen(group: list[Sighting]) -> list[tuple[Sighting, Sighting, datetime]]:
    """Return, per ship that refused the person and other ship that saw them after, the first
    refusal, the sighting after it and when (its first crossing after the refusal; the last
    one when the refusal fell between the crossings counted in one call)."""
    refusals = sorted((s for s in group if s.record == REFUSED and s.at), key=lambda s: s.at)
    out, pairs = [], set()
    for refusal in refusals:
        after = [
            (_after(s, refusal.at), s)
            for s in group
            if s.ship_id != refusal.ship_id and s.at and s.at > refusal.at
        ]
        for when, s in sorted(after, key=lambda pair: pair[0]):
            if (refusal.ship_id, s.ship_id) not in pairs:
                pairs.add((refusal.ship_id, s.ship_id))
                out.append((refusal, s, when))
    return out


def _after(s: Sighting, at: datetime) -> datetime:
    first = s.first_at or s.at
    return first if first > at else s.at


def _groups(sightings: list[Sighting]) -> list[list[Sighting]]:
    parent = list(range(len(sightings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(indexes: list[int]) -> None:
        for i in indexes[1:]:
            parent[root(i)] = root(indexes[0])

    by_person, by_document = defaultdict(list), defaultdict(list)
    for i, s in enumerate(sightings):
        if s.person_id is not None:
            by_person[(s.ship_id, s.person_id)].append(i)
        if s.document:
            by_document[s.document].append(i)
    for indexes in (*by_person.values(), *by_document.values()):
        join(indexes)
    _join_undocumented(sightings, root, join)
    groups: dict[int, list[Sighting]] = defaultdict(list)
    for i, s in enumerate(sightings):
        groups[root(i)].append(s)
    return list(groups.values())


def _join_undocumented(sightings, root, join) -> None:
    """Join records without a document to the one documented person of the same full name."""
    documented, undocumented = defaultdict(set), defaultdict(list)
    for i, s in enumerate(sightings):
        if s.person_key and s.document:
            documented[s.person_key].add(root(i))
        elif s.person_key:
            undocumented[s.person_key].append(i)
    for key, indexes in undocumented.items():
        people = documented.get(key, set())
        join(indexes + ([next(iter(people))] if len(people) == 1 else []))


def _person(group: list[Sighting], lines_shown: int) -> Person:
    refusals = [s for s in group if s.record == REFUSED and s.at is not None]
    lines: dict[tuple, Line] = {}
    for s in group:
        key = (s.ship_id, s.port_call_id, s.record, 0 if s.record == MOVED else s.record_id)
        line = lines.get(key) or lines.setdefault(key, _line(s))
        line.first_at = min((t for t in (line.first_at, s.first_at or s.at) if t), default=None)
        line.last_at = max((t for t in (line.last_at, s.at) if t), default=None)
        line.boarded += s.count if s.record == MOVED and s.direction == "board" else 0
        line.left += s.count if s.record == MOVED and s.direction == "depart" else 0
        before = [r for r in refusals if r.ship_id != s.ship_id and s.at and r.at < s.at]
        if before:
            line.after_refusal_on = before[0].ship_id
    shown = sorted(lines.values(), key=lambda line: _at(line.last_at), reverse=True)
    return Person(
        names=_most_common(s.name for s in group if s.name),
        documents=_most_common(s.document for s in group if s.document),
        lines=shown[:lines_shown],
        refused_then_seen=refused_then_seen(group),
        newest_at=shown[0].last_at if shown else None,
        on_record=sorted({(s.ship_id, s.person_id) for s in group if s.person_id is not None}),
    )


def _line(s: Sighting) -> Line:
    reason = (label(s.reason_code) or "Refused") if s.record == REFUSED else None
    return Line(s.ship_id, s.port_call_id, s.record, s.at, s.at, reason=reason, kind=s.kind)


def _most_common(values) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return sorted(counts, key=lambda v: -counts[v])


_NEVER = datetime.min.replace(tzinfo=UTC)


def _at(at: datetime | None) -> datetime:
    return at if at is not None else _NEVER
