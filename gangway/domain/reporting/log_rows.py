"""The access log filtered, sorted and paged from plain rows (ashore, where a call's records are
read whole from the ship's projection instead of along the ship's own indexes).

Rule source: the same log as on board (ISPS A/10.1, domain/reporting/access_log.py): the same
filters and the same order: time (or name, then time), allowed before refused at the same
instant, then record id; PAGE_SIZE rows a page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from gangway.domain.reporting.access_log import ALLOWED, ANY, LogFilters


class LogRow(NamedTuple):
    """One movement (allowed) or refusal (refused) as the log shows it, before masking."""

    id: int
    occurred_at: datetime
    direction: str
    kind: str | None
    name: str | None
    company: str | None
    purpose: str | None
    access_point_code: str
    access_point: str
    method: str
    escort: str | None
    outcome: str
    reason: str | None
    document_number: str | None
    port_call_id: int


class RowsPage(NamedTuple):
    """One page of rows, with how many match in all."""

    rows: list[LogRow]
    total: int
    page: int
    pages: int


def page_of(rows: Iterable[LogRow], filters: LogFilters) -> RowsPage:
    """Return the page the filters ask for of the rows that match them, in the log's order."""
    found = sorted_matches(rows, filters)
    size = filters.page_size
    first = (filters.page - 1) * size
    pages = max(1, math.ceil(len(found) / size))
    return RowsPage(found[first : first + size], len(found), filters.page, pages)


def sorted_matches(rows: Iterable[LogRow], filters: LogFilters) -> list[LogRow]:
    """Return every row that matches the filters (all pages), in the log's order."""
    found = [r for r in rows if matches(r, filters)]
    by_name = filters.sort.endswith("name")
    found.sort(key=lambda r: _order(r, by_name), reverse=filters.sort.startswith("-"))
    return found


def matches(row: LogRow, f: LogFilters) -> bool:
    """Tell whether a row passes every filter (texts match anywhere, in any case)."""
    return (
        f.direction in (ANY, row.direction)
        and f.outcome in (ANY, row.outcome)
        and f.kind in (ANY, row.kind)
        and _contains(row.purpose, f.purpose)
        and (not f.access_point or row.access_point_code == f.access_point)
        and (f.from_at is None or row.occurred_at >= f.from_at)
        and (f.to_at is None or row.occurred_at <= f.to_at)
        and (not f.q or _contains(row.name, f.q) or _contains(row.company, f.q))
    )


def _contains(text: str | None, wanted: str | None) -> bool:
    return not wanted or wanted.casefold() in (text or "").casefold()


def _order(row: LogRow, by_name: bool) -> tuple:
    tie = (row.occurred_at, row.outcome != ALLOWED, row.id)
    return ((row.name or "").casefold(), *tie) if by_name else tie
