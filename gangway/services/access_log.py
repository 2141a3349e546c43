"""The access log the PFSO reads: movements (allowed) and refusals (refused) of port calls."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, String, func, literal, null, or_, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, aliased

from ..domain.access_log import ANY, LogFilters
from ..models import AccessPoint, Movement, Person, Refusal

BATCH = 500


@dataclass(frozen=True, slots=True)
class LogPage:
    """One page of the log, with how many rows match in all."""

    rows: list[Row]
    total: int
    page: int
    pages: int


def access_log(session: Session, call_ids: Sequence[int], filters: LogFilters) -> LogPage:
    """Return one page of the filtered, sorted log of these port calls."""
    log = _filtered(call_ids, filters)
    total = session.scalar(select(func.count()).select_from(log.subquery())) or 0
    offset = (filters.page - 1) * filters.page_size
    rows = list(session.execute(log.limit(filters.page_size).offset(offset)))
    pages = max(1, math.ceil(total / filters.page_size))
    return LogPage(rows=rows, total=total, page=filters.page, pages=pages)


def all_log_rows(session: Session, call_ids: Sequence[int], filters: LogFilters) -> Iterator[Row]:
    """Yield every row of the filtered, sorted log (all pages), a batch at a time."""
    log = _filtered(call_ids, filters)
    offset = 0
    while True:
        rows = list(session.execute(log.limit(BATCH).offset(offset)))
        yield from rows
        if len(rows) < BATCH:
            return
        offset += BATCH


def _union(call_ids: Sequence[int]):
    """Return movements and refusals of the port calls as one set of rows with the same columns."""
    person, escort = aliased(Person), aliased(Person)
    point = aliased(AccessPoint)
    moves = (
        select(
            Movement.id.label("id"),
            Movement.occurred_at.label("occurred_at"),
            Movement.direction.label("direction"),
            person.kind.label("kind"),
            _name(person).label("name"),
            person.company.label("company"),
            Movement.purpose.label("purpose"),
            point.code.label("access_point_code"),
            point.name.label("access_point"),
            Movement.method.label("method"),
            _name(escort).label("escort"),
            literal("allowed", String).label("outcome"),
            null().label("reason"),
            person.document_number.label("document_number"),
            Movement.port_call_id.label("port_call_id"),
        )
        .join(person, Movement.person_id == person.id)
        .join(point, Movement.access_point_id == point.id)
        .outerjoin(escort, Movement.escort_id == escort.id)
        .where(Movement.port_call_id.in_(call_ids))
    )
    person, point = aliased(Person), aliased(AccessPoint)
    refusals = (
        select(
            Refusal.id,
            Refusal.occurred_at,
            Refusal.direction,
            person.kind,
            _name(person),
            person.company,
            Refusal.purpose,
            point.code,
            point.name,
            Refusal.method,
            null(),
            literal("refused", String),
            Refusal.reason_message,
            person.document_number,
            Refusal.port_call_id,
        )
        .outerjoin(person, Refusal.person_id == person.id)
        .join(point, Refusal.access_point_id == point.id)
        .where(Refusal.port_call_id.in_(call_ids))
    )
    return union_all(moves, refusals).subquery("log")


def _name(person):
    return person.family_name + ", " + person.given_names


def _filtered(call_ids: Sequence[int], f: LogFilters) -> Select:
    log = _union(call_ids)
    c = log.c
    stmt = select(log)
    if f.direction != ANY:
        stmt = stmt.where(c.direction == f.direction)
    if f.kind != ANY:
        stmt = stmt.where(c.kind == f.kind)
    if f.outcome != ANY:
        stmt = stmt.where(c.outcome == f.outcome)
    if f.purpose:
        stmt = stmt.where(c.purpose.ilike(_contains(f.purpose), escape="\\"))
    if f.access_point:
        stmt = stmt.where(c.access_point_code == f.access_point)
    if f.from_at:
        stmt = stmt.where(c.occurred_at >= f.from_at)
    if f.to_at:
        stmt = stmt.where(c.occurred_at <= f.to_at)
    if f.q:
        pattern = _contains(f.q)
        stmt = stmt.where(
            or_(c.name.ilike(pattern, escape="\\"), c.company.ilike(pattern, escape="\\"))
        )
    return stmt.order_by(*_order(c, f.sort))


def _order(c, sort: str) -> list:
    time = [c.occurred_at, c.outcome, c.id]
    keys = [func.coalesce(c.name, ""), *time] if sort.endswith("name") else time
    return [k.desc() for k in keys] if sort.startswith("-") else keys


def _contains(text: str) -> str:
    """Return a LIKE pattern matching the text anywhere, with its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
