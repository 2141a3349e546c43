"""The access log the PFSO reads: movements (allowed) and refusals (refused) of port calls.

A million records on file must not make a page slow, so a page is found on narrow keys and only
its rows are then joined to their person and access point (statements in access_log_sql.py):
- newest/oldest first: the page is counted from whichever end of the log is nearer; the larger
  table skips to it alone along its (port call, time, id) index, and only from there are the two
  tables merged by the database;
- by name: matching records are counted per person (index on port call, person), then per name,
  so a page reads only the records of the few names it shows;
- counts are per table, without joins or ORDER BY; the person filters (kind, q) become
  `person_id IN (those persons)`.
The order is the one the log always had: time (or name, then time), allowed before refused at
the same instant, then record id.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from gangway.domain.reporting.access_log import LogFilters
from gangway.services.access_log import sql
from gangway.services.access_log.sql import Key, Scope

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
    size = filters.page_size
    offset = (filters.page - 1) * size
    total, keys = 0, []
    if call_ids:
        s = sql.scope(session, call_ids, filters)
        if filters.sort.endswith("name"):
            total, keys = _name_page(session, s, offset, size)
        else:
            counts = sql.counts(session, s)
            total = sum(counts.values())
            keys = _time_page(session, s, offset, size, counts)
    pages = max(1, math.ceil(total / size))
    return LogPage(rows=_rows(session, keys), total=total, page=filters.page, pages=pages)


def all_log_rows(session: Session, call_ids: Sequence[int], filters: LogFilters) -> Iterator[Row]:
    """Yield every row of the filtered, sorted log (all pages), a batch at a time."""
    if not call_ids:
        return
    s = sql.scope(session, call_ids, filters)
    stmt = sql.keys(s, filters.sort.endswith("name"), filters.sort.startswith("-"))
    keys = [sql.key_of(row.tie) for row in session.execute(stmt)]
    for first in range(0, len(keys), BATCH):
        yield from _rows(session, keys[first : first + BATCH])


def _time_page(session: Session, s: Scope, offset: int, size: int, counts) -> list[Key]:
    """Return the keys of one page in time order, read from the nearer end of the log."""
    total = sum(counts.values())
    limit = min(size, total - offset)
    if limit <= 0:
        return []
    newest_first = s.filters.sort.startswith("-")
    from_end = total - offset - limit < offset
    if from_end:  # the same rows, counted back from the other end, then put in order
        offset, newest_first = total - offset - limit, not newest_first
    start, ahead = _start(session, s, offset, counts, newest_first)
    stmt = sql.keys(s, False, newest_first, start=start).limit(limit).offset(offset - ahead)
    keys = [sql.key_of(row.tie) for row in session.execute(stmt)]
    return keys[::-1] if from_end else keys


def _start(session: Session, s: Scope, offset: int, counts, newest_first: bool):
    """Return (a record key at or before the page's first record, how many records precede it).

    The larger table skips alone along its index, which is cheap; the merge then starts at that
    key, so it reads at most the smaller table's records plus one page.
    """
    if len(counts) < 2:
        return None, 0
    (big, big_outcome), (small, small_outcome) = sorted(sql.sources(s), key=lambda t: -counts[t[1]])
    skip = offset - counts[small_outcome]
    if skip <= 0:
        return None, 0
    at, tie = sql.order_columns(big, big_outcome)
    order = [at.desc(), tie.desc()] if newest_first else [at, tie]
    where = sql.where(s, big, True)
    found = select(at.label("at"), tie.label("tie")).where(*where).order_by(*order)
    found = found.offset(skip).limit(1).subquery()
    at, tie = sql.order_columns(small, small_outcome)
    before = sql.before_key(at, tie, (found.c.at, found.c.tie), newest_first)
    ahead = select(func.count()).select_from(small).where(*sql.where(s, small), before)
    row = session.execute(select(found.c.at, found.c.tie, ahead.scalar_subquery())).first()
    if row is None:  # records removed since they were counted
        return None, 0
    return (row[0], row[1]), skip + row[2]


def _name_page(session: Session, s: Scope, offset: int, size: int) -> tuple[int, list[Key]]:
    """Return (total, keys of one page) in name order: count per name, then read those names."""
    newest_first = s.filters.sort.startswith("-")
    groups = session.execute(sql.name_groups(s, newest_first, offset, size)).all()
    total = int(groups[0].total) if groups else 0
    shown = [g for g in groups if g.upto > offset and g.upto - g.n < offset + size]
    if not shown:
        return total, []
    skipped = int(shown[0].upto - shown[0].n)
    stmt = sql.keys(s, True, newest_first, names=[g.name for g in shown])
    rows = session.execute(stmt.limit(size).offset(offset - skipped))
    return total, [sql.key_of(row.tie) for row in rows]


def _rows(session: Session, keys: list[Key]) -> list[Row]:
    """Load the shown columns of these records, in the keys' order (one gone since is left out)."""
    found = {}
    for _, outcome in sql.SOURCES:
        ids = [record_id for kind, record_id in keys if kind == outcome]
        if ids:
            for row in session.execute(sql.full_rows(outcome), {"ids": ids}):
                found[outcome, row.id] = row
    return [found[key] for key in keys if key in found]
