"""The access log's statements: narrow sorted keys, name groups and full rows of a page.

Movements (outcome "allowed") and refusals ("refused") are two tables; every statement here
reads one of them or a UNION ALL of both that the database merges along their indexes. The
filters, as conditions on each table, are in `access_log_filters` (re-exported here).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from gangway.db.models import AccessPoint, Movement, Person, PersonRename, Refusal
from gangway.domain.reporting.access_log import ALLOWED, REFUSED
from gangway.services.access_log.filters import (
    SOURCES,
    Scope,
    counts,
    person_name,
    scope,
    sources,
    where,
)
from gangway.services.audit.record_snapshots import recorded

__all__ = [
    "SOURCES",
    "TIE",
    "Key",
    "Scope",
    "before_key",
    "counts",
    "from_key",
    "full_rows",
    "key_of",
    "keys",
    "name_groups",
    "order_columns",
    "per_person",
    "scope",
    "sort_name",
    "sources",
    "union",
    "where",
]

# Refusal ids are shifted past any movement id so that one integer orders "allowed before
# refused, then id" at the same instant, and each table still reads its index in order.
TIE = 2**40

Key = tuple[str, int]  # (outcome, record id)


def order_columns(table, outcome: str):
    """Return the (time, tie-break) a table's records are ordered by.

    The id is typed BIGINT without a CAST (which would hide the index's order): the shifted
    refusal ids, compared with or bound against it, exceed a 32-bit INTEGER.
    """
    record_id = type_coerce(table.id, BigInteger)
    return table.occurred_at, record_id + TIE if outcome == REFUSED else record_id


def from_key(at, tie, key, newest_first: bool):
    """Match the records at or after this (time, tie-break) key in the order."""
    if newest_first:
        return and_(at <= key[0], or_(at < key[0], tie <= key[1]))
    return and_(at >= key[0], or_(at > key[0], tie >= key[1]))


def before_key(at, tie, key, newest_first: bool):
    """Match the records before this (time, tie-break) key in the order."""
    if newest_first:
        return and_(at >= key[0], or_(at > key[0], tie > key[1]))
    return and_(at <= key[0], or_(at < key[0], tie < key[1]))


def keys(s: Scope, by_name: bool, newest_first: bool, names=None, start=None) -> Select:
    """Return the sorted ((name), time, tie-break) of the matching records, no other column."""
    parts = []
    for table, outcome in sources(s):
        at, tie = order_columns(table, outcome)
        part = select(at.label("occurred_at"), tie.label("tie")).where(*where(s, table, True))
        if start is not None:
            part = part.where(from_key(at, tie, start, newest_first))
        if by_name:
            part = part.add_columns(func.coalesce(recorded_name(table, Person), "").label("name"))
            part = part.outerjoin(Person, Person.id == table.person_id)
        if names is not None:
            part = part.where(_of_names(table, names))
        parts.append(part)
    stmt = union(parts)
    c = stmt.selected_columns
    order = [c.name, c.occurred_at, c.tie] if by_name else [c.occurred_at, c.tie]
    return stmt.order_by(*(k.desc() for k in order) if newest_first else order)


def per_person(s: Scope) -> Select:
    """Return (person_id, name recorded, matching records) per person, name and table, for the
    name order (a person renamed between their records has a group per name)."""
    return union(
        [
            select(
                table.person_id.label("person_id"),
                stored_name(table).label("stored"),
                func.count().label("n"),
            )
            .where(*where(s, table))
            .group_by(table.person_id, table.person_family_name, table.person_given_names)
            for table, _ in sources(s)
        ]
    )


def name_groups(s: Scope, newest_first: bool, offset: int, size: int) -> Select:
    """Return the names on the page, and the last name, with their counts, in name order.

    Rows are (name, its records, records up to and including it, all records); the records are
    counted per person and recorded name (along the (port call, person, name) index) before
    the few without a recorded name are named from their person.
    """
    counted = per_person(s).subquery()
    named = (
        select(func.coalesce(counted.c.stored, sort_name(Person)).label("name"), counted.c.n)
        .select_from(counted)
        .outerjoin(Person, Person.id == counted.c.person_id)
        .subquery()
    )
    grouped = select(named.c.name, func.sum(named.c.n).label("n")).group_by(named.c.name).subquery()
    g = grouped.c
    order = g.name.desc() if newest_first else g.name
    running = select(
        g.name,
        g.n,
        func.sum(g.n).over(order_by=order).label("upto"),
        func.sum(g.n).over().label("total"),
    ).subquery()
    r = running.c
    overlaps = and_(r.upto > offset, r.upto - r.n < offset + size)
    return select(r).where(or_(overlaps, r.upto == r.total)).order_by(r.upto)


def union(parts: list[Select]):
    """Return the parts as one UNION ALL (or the one part)."""
    return union_all(*parts) if len(parts) > 1 else parts[0]


def key_of(tie) -> Key:
    """Return (outcome, record id) from a tie-break value (PostgreSQL may return a Decimal)."""
    tie = int(tie)
    return (REFUSED, tie - TIE) if tie >= TIE else (ALLOWED, tie)


def sort_name(person):
    """Return the name the log sorts by: 'FAMILY, Given', '' for a refusal without a person."""
    return func.coalesce(person_name(person), "")


@cache
def full_rows(outcome: str) -> Select:
    """Return the statement for the shown columns of the records with ids `:ids` (built once)."""
    table = Movement if outcome == ALLOWED else Refusal
    person, point = aliased(Person), aliased(AccessPoint)
    if table is Movement:
        escort = aliased(Person)
        recorded_escort = Movement.escort_family_name + ", " + Movement.escort_given_names
        escort_shown = func.coalesce(recorded_escort, person_name(escort))  # as recorded
        extra = (escort_shown.label("escort"), null().label("reason"))
    else:
        extra = (null().label("escort"), Refusal.reason_message.label("reason"))
    stmt = select(
        table.id.label("id"),
        table.occurred_at.label("occurred_at"),
        table.direction.label("direction"),
        recorded(table, person, "kind").label("kind"),
        recorded_name(table, person).label("name"),
        recorded(table, person, "company").label("company"),
        table.purpose.label("purpose"),
        point.code.label("access_point_code"),
        point.name.label("access_point"),
        table.method.label("method"),
        extra[0],
        literal(outcome, String).label("outcome"),
        extra[1],
        recorded(table, person, "document_number").label("document_number"),
        table.port_call_id.label("port_call_id"),
    )
    stmt = stmt.select_from(table).outerjoin(person, table.person_id == person.id)
    stmt = stmt.join(point, table.access_point_id == point.id)
    if table is Movement:
        stmt = stmt.outerjoin(escort, Movement.escort_id == escort.id)
    return stmt.where(table.id.in_(bindparam("ids", expanding=True)))


def stored_name(table):
    """Return 'FAMILY, Given' as the record stored it (NULL: it has no copy of its person)."""
    return table.person_family_name + ", " + table.person_given_names


def recorded_name(table, person):
    """Return 'FAMILY, Given' as the record stored it, else its person's name now."""
    return func.coalesce(stored_name(table), person_name(person))


def _of_names(table, names: list[str]):
    """Match the records shown under one of these names ('' is a refusal without person).

    The persons who have or had such a name are found first, so that only their records are
    read (along the (port call, person) index); `keys` joins Person for records without a copy.
    """
    before = PersonRename.family_name_before + ", " + PersonRename.given_names_before
    persons = union_all(
        select(Person.id).where(person_name(Person).in_(names)),
        select(PersonRename.person_id).where(before.in_(names)),
    )
    named = and_(table.person_id.in_(persons), recorded_name(table, Person).in_(names))
    return or_(named, table.person_id.is_(None)) if "" in names else named
