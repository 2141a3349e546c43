"""The access log's filters as conditions on each table's own columns, and the counts.

Movements (outcome "allowed") and refusals ("refused") are two tables; a filter becomes one
condition list per table, so each is read along its own indexes (see `access_log_sql`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from gangway.db.models import AccessPoint, Movement, Person, PersonRename, Refusal
from gangway.domain.reporting.access_log import ALLOWED, ANY, REFUSED, LogFilters

SOURCES = ((Movement, ALLOWED), (Refusal, REFUSED))
PERSONS_INLINE = 5000  # up to this many persons matched by q are passed as a list of ids


@dataclass(frozen=True, slots=True)
class Scope:
    """What one request reads: these port calls, these filters, the persons they leave in."""

    call_ids: Sequence[int]
    filters: LogFilters
    persons: BindParameter | Select | None  # None: no filter on the person


def scope(session: Session, call_ids: Sequence[int], filters: LogFilters) -> Scope:
    """Return the scope; the persons a text search matches are looked up once if few.

    Matching text costs a scan of every person, which each statement would repeat; a kind
    alone is cheap to match again, and a list costs a bound value per person per statement.
    """
    persons = _persons(filters)
    if filters.q:
        ids = list(session.scalars(persons.limit(PERSONS_INLINE + 1)))
        if len(ids) <= PERSONS_INLINE:
            persons = bindparam("persons", ids, expanding=True)
    return Scope(call_ids, filters, persons)


def sources(s: Scope) -> list[tuple]:
    """Return the (table, outcome) pairs the outcome filter leaves in."""
    return [(table, outcome) for table, outcome in SOURCES if s.filters.outcome in (ANY, outcome)]


def where(s: Scope, table, keep_time_order: bool = False) -> list:
    """Return the filters as conditions on one table's own columns."""
    f, call = s.filters, table.port_call_id
    conds = [call == s.call_ids[0] if len(s.call_ids) == 1 else call.in_(s.call_ids)]
    if f.direction != ANY:
        conds.append(table.direction == f.direction)
    if f.purpose:
        conds.append(table.purpose.ilike(_contains(f.purpose), escape="\\"))
    if f.access_point:
        points = select(AccessPoint.id).where(AccessPoint.code == f.access_point)
        conds.append(table.access_point_id.in_(points))
    if f.from_at:
        conds.append(table.occurred_at >= f.from_at)
    if f.to_at:
        conds.append(table.occurred_at <= f.to_at)
    if s.persons is not None:
        # "+ 0" keeps a page reading the time index in order (checking each person against
        # the list) instead of seeking the (port call, person) index and sorting every match.
        person = table.person_id + 0 if keep_time_order else table.person_id
        conds.append(person.in_(s.persons))
    return conds


def counts(session: Session, s: Scope) -> dict[str, int]:
    """Count the matching records per outcome, each table on its own (no join, no order)."""
    found = [
        select(func.count()).select_from(table).where(*where(s, table)).scalar_subquery()
        for table, _ in sources(s)
    ]
    return dict(zip([o for _, o in sources(s)], session.execute(select(*found)).one(), strict=True))


def _persons(f: LogFilters) -> Select | None:
    """Return the ids of the persons the kind and q filters leave in (None: no such filter)."""
    conds = []
    if f.kind != ANY:
        conds.append(Person.kind == f.kind)
    if f.q:
        pattern = _contains(f.q)
        name, company = person_name(Person), Person.company
        # A name they had before a rename: their records show it (record_snapshots.py).
        before = PersonRename.family_name_before + ", " + PersonRename.given_names_before
        renamed = select(PersonRename.person_id).where(before.ilike(pattern, escape="\\"))
        conds.append(
            or_(
                name.ilike(pattern, escape="\\"),
                company.ilike(pattern, escape="\\"),
                Person.id.in_(renamed),
            )
        )
    return select(Person.id).where(*conds) if conds else None


def person_name(person):
    """Return a person's name as the log shows and matches it: 'FAMILY, Given'."""
    return person.family_name + ", " + person.given_names


def _contains(text: str) -> str:
    """Return a LIKE pattern matching the text anywhere, with its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
