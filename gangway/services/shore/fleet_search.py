"""The CSO's fleet-wide search of people and refusals (issue 17 point 4): a name or a document
number, found in every ship's records held ashore, per person, with the case the issue names
marked: a person refused on one ship who is presented, boarded or registered on another after.

Reads shore_record (the ingest's projection) by its search keys, which the projection keeps
(services/shore/projection.py, domain/shore/name_keys.py): the name's words through a GIN index
on PostgreSQL, the document number through a b-tree. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Text, and_, case, cast, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from gangway.db.models import ShoreRecord, ShoreShip
from gangway.domain.accounts.permissions import holds
from gangway.domain.reporting.access_log import is_masked, mask_document
from gangway.domain.scan.reasons import label
from gangway.domain.shore.name_keys import BadQuery, Query, parse_query, person_key, tsquery
from gangway.domain.shore.sightings import MOVED, REFUSED, Sighting, gather
from gangway.services import BadInput
from gangway.services.shore.photos import photos_of

MAX_FOUND = 5000  # records read for one search; beyond, the CSO is asked to type more
LINES_SHOWN = 100  # per person, newest first
PERSONS_SHOWN = 50  # those refused then seen elsewhere first, then the newest
R = ShoreRecord


@dataclass
class SearchResult:
    """What a search found: persons (plain values, newest first), or why nothing is shown."""

    query: str
    persons: list[dict] = field(default_factory=list)
    found: int = 0  # persons found; at most PERSONS_SHOWN are listed
    too_many: bool = False
    masked: bool = False


def search_fleet(session: Session, text: object, role: str) -> SearchResult:
    """Find a person by name (any order, case, accents) or document number across the fleet.

    :raises BadInput: nothing to search, or a query too long (the message says what to type).
    """
    try:
        query = parse_query(text)
    except BadQuery as exc:
        raise BadInput("q", str(exc)) from None
    rows = session.execute(_sightings(session, query)).all()
    masked = is_masked(role, share_documents=False)
    if sum(row.count for row in rows) > MAX_FOUND:
        return SearchResult(query.text, too_many=True, masked=masked)
    found = gather([_sighting(row) for row in rows], LINES_SHOWN)
    persons = found[:PERSONS_SHOWN]
    ships = _ships(session, {line.ship_id for p in persons for line in p.lines})
    calls = _calls(session, {(ln.ship_id, ln.port_call_id) for p in persons for ln in p.lines})
    shown = [_person(p, ships, calls, masked) for p in persons]
    photos = _photos(session, persons, ships) if holds(role, "fleet.photos") else {}
    for person, p in zip(shown, persons, strict=True):
        person["photos"] = [x for pair in p.on_record for x in photos.get(pair, [])]
    return SearchResult(query.text, shown, found=len(found), masked=masked)


def _matches(session: Session, query: Query):
    if query.document:
        return R.document_key == query.document
    if session.get_bind().dialect.name == "postgresql":
        return R.name_words.op("@@")(cast(literal(tsquery(query)), TSQUERY))
    # SQLite (development): the same words, as text between spaces.
    padded = literal(" ", Text).op("||")(R.name_words).op("||")(literal(" ", Text))

    def has(spellings) -> object:
        return or_(*(padded.like(f"% {s} %") for s in spellings))

    return and_(
        *(or_(has(w.whole), and_(*map(has, w.parts))) if w.parts else has(w.whole)
          for w in query.words)
    )  # fmt: skip


def _sightings(session: Session, query: Query):
    """Select the records found, at most MAX_FOUND + 1, a person's crossings in one direction
    in one port call counted in one row (a crew member's hundreds of them are one line).

    Reads the columns the projection copies from each record's content (never the JSON: a
    common name is thousands of rows)."""
    found = (
        select(
            R.ship_id, R.record_table, R.record_id, R.port_call_id, R.document_key, R.seen_at,
            R.person_ref, R.person_family, R.person_given, R.person_kind, R.direction,
            R.reason_code,
        )
        .where(_matches(session, query))
        .limit(MAX_FOUND + 1)
        .subquery()
    )  # fmt: skip
    f = found.c
    fields = (
        f.ship_id,
        f.record_table,
        case((f.record_table == MOVED, 0), else_=f.record_id).label("record_id"),
        f.port_call_id,
        f.document_key,
        f.person_ref.label("person_id"),
        f.person_family.label("family"),
        f.person_given.label("given"),
        f.person_kind.label("kind"),
        f.direction,
        f.reason_code,
    )
    return select(
        *fields,
        func.count().label("count"),
        func.min(f.seen_at).label("first"),
        func.max(f.seen_at).label("at"),
    ).group_by(*fields)


def _sighting(row) -> Sighting:
    return Sighting(
        ship_id=row.ship_id,
        record=row.record_table,
        record_id=row.record_id,
        at=_time(row.at),
        first_at=_time(row.first),
        count=row.count,
        person_id=row.person_id,
        person_key=person_key(row.family, row.given),
        document=row.document_key,
        name=", ".join(part for part in (row.family, row.given) if part),
        port_call_id=row.port_call_id,
        direction=row.direction,
        kind=row.kind,
        reason_code=row.reason_code if row.record_table == REFUSED else None,
    )


def _ships(session: Session, ids: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = session.execute(
        select(ShoreShip.id, ShoreShip.imo, ShoreShip.name).where(ShoreShip.id.in_(ids))
    )
    return {ship_id: {"imo": imo, "name": name} for ship_id, imo, name in rows}


def _calls(session: Session, pairs: set[tuple]) -> dict[tuple, dict]:
    pairs = {p for p in pairs if p[1] is not None}
    if not pairs:
        return {}
    rows = session.execute(
        select(R.ship_id, R.record_id, R.content).where(
            R.record_table == "port_call", tuple_(R.ship_id, R.record_id).in_(pairs)
        )
    )
    return {(ship_id, call_id): _call(call_id, c) for ship_id, call_id, c in rows}


def _call(call_id: int, c: dict) -> dict:
    return {
        "id": call_id,
        "port_name": c.get("port_name") or "",
        "unlocode": c.get("unlocode"),
        "facility_name": c.get("facility_name"),
        "arrived_at": _time(c.get("arrived_at")),
        "departed_at": _time(c.get("departed_at")),
        "timezone": c.get("timezone") or "UTC",
    }


def _person(p, ships: dict, calls: dict, masked: bool) -> dict:
    unknown = {"imo": "?", "name": "Unknown ship"}
    return {
        "names": p.names,
        "documents": [mask_document(d) for d in p.documents] if masked else p.documents,
        "refused_then_seen": [
            {
                "refused_on": ships.get(r.ship_id, unknown),
                "refused_at": r.at,
                "reason": label(r.reason_code) or "Refused",
                "then_on": ships.get(s.ship_id, unknown),
                "then_at": when,
                "then": _did(s),
            }
            for r, s, when in p.refused_then_seen
        ],
        "lines": [
            {
                "ship": ships.get(ln.ship_id, unknown),
                "port_call_id": ln.port_call_id,  # the ship's; None: at sea, or a person's
                "port_call": calls.get((ln.ship_id, ln.port_call_id)),
                "what": ln.what,
                "first_at": ln.first_at,
                "last_at": ln.last_at,
                "reason": ln.reason,
                "kind": ln.kind,
                "boarded": ln.boarded,
                "left": ln.left,
                "after_refusal_on": ships.get(ln.after_refusal_on) if ln.after_refusal_on else None,
            }
            for ln in p.lines
        ],
    }


def _photos(session: Session, persons: list, ships: dict) -> dict[tuple, list[dict]]:
    """Return the photos the ships' SSOs sent of these persons, per (ship, person record)."""
    held = photos_of(session, {pair for p in persons for pair in p.on_record})
    unknown = {"imo": "?", "name": "Unknown ship"}
    return {
        pair: [x | {"ship": ships.get(x["ship_id"], unknown)} for x in found]
        for pair, found in held.items()
    }


def _did(s: Sighting) -> str:
    """Say in words what a person did when seen."""
    if s.record == REFUSED:
        return "presented and refused"
    if s.record == MOVED:
        return {"board": "boarded", "depart": "left"}.get(s.direction or "", "crossed")
    return f"registered as {s.kind}" if s.kind else "registered"


def _time(text: object) -> datetime | None:
    """Read a time from a record's content (ISO, UTC); None when missing or unreadable."""
    try:
        at = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
