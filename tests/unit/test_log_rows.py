"""The access log paged from plain rows (ashore): the on-board log's filters, order and pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gangway.domain.reporting.access_log import LogFilters
from gangway.domain.reporting.log_rows import LogRow, page_of

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def row(i: int, minutes: int, name: str, outcome: str = "allowed", **fields) -> LogRow:
    values = {"id": i, "occurred_at": AT + timedelta(minutes=minutes), "direction": "board",
              "kind": "crew", "name": name, "company": None, "purpose": None,
              "access_point_code": "MAIN-GW", "access_point": "Main gangway", "method": "scan",
              "escort": None, "outcome": outcome, "reason": None, "document_number": None,
              "port_call_id": 1}  # fmt: skip
    return LogRow(**(values | fields))


ROWS = [
    row(1, 0, "DIAS, Ana"),
    row(1, 5, "Unknown", "refused", kind=None),
    row(2, 5, "BERG, Ole", company="Acme Cranes", kind="contractor", direction="depart"),
    row(3, 9, "CRUZ, Eva", purpose="Crane repair", kind="visitor"),
]


def test_in_time_order_the_allowed_come_before_the_refused_at_one_instant_and_back_reversed():
    oldest_first = page_of(ROWS, LogFilters(sort="time")).rows
    assert [(r.outcome, r.id) for r in oldest_first] == [
        ("allowed", 1), ("allowed", 2), ("refused", 1), ("allowed", 3)
    ]  # fmt: skip
    newest_first = page_of(ROWS, LogFilters())  # the default, as on board
    assert newest_first.rows == oldest_first[::-1]
    assert (newest_first.total, newest_first.pages) == (4, 1)


def test_filters_match_as_on_board_texts_anywhere_in_any_case():
    assert [r.id for r in page_of(ROWS, LogFilters(q="acme")).rows] == [2]  # the company
    assert [r.id for r in page_of(ROWS, LogFilters(purpose="CRANE")).rows] == [3]
    assert [r.id for r in page_of(ROWS, LogFilters(outcome="refused")).rows] == [1]
    assert [r.id for r in page_of(ROWS, LogFilters(direction="depart")).rows] == [2]
    assert [r.id for r in page_of(ROWS, LogFilters(kind="crew")).rows] == [1]
    late = LogFilters(from_at=AT + timedelta(minutes=5), to_at=AT + timedelta(minutes=5))
    assert page_of(ROWS, late).total == 2


def test_pages_of_the_name_order_hold_each_row_once():
    pages = [page_of(ROWS, LogFilters(sort="name", page=n, page_size=3)) for n in (1, 2)]
    assert [r.name for p in pages for r in p.rows] == [
        "BERG, Ole", "CRUZ, Eva", "DIAS, Ana", "Unknown"
    ]  # fmt: skip
    assert [p.pages for p in pages] == [2, 2]
