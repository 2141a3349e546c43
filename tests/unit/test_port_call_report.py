"""The end-of-port-call report's pure aggregations, hash and charts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.records.report_hash import report_hash
from gangway.domain.reporting.port_call_report import (
    DeclarationRow,
    FollowUpRow,
    LevelRow,
    MovementRow,
    RefusalRow,
    movements_per_hour,
    on_board_series,
    summarise,
)
from gangway.domain.reporting.report_charts import movements_per_hour_svg, on_board_svg

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def mv(i, minutes, direction="board", kind="crew", person=1, purpose=None, **kw):
    return MovementRow(i, T0 + timedelta(minutes=minutes), direction, kind, person, purpose,
                       kw.get("searched", False), kw.get("escorted", False), "scan")  # fmt: skip


def refusal(i, code="expired", codes=None):
    return RefusalRow(i, T0, code, codes or code, "msg", "board", None, None, "scan")


MOVES = [
    mv(1, 0, person=1),
    mv(2, 10, kind="visitor", person=2, purpose="Stores", searched=True, escorted=True),
    mv(3, 20, kind="visitor", person=3, purpose="Stores"),
    mv(4, 70, "depart", kind="visitor", person=2),
    mv(5, 80, kind="visitor", person=2, purpose="Stores"),
    mv(6, 130, kind="contractor", person=4, purpose="Repair"),
    mv(7, 140, "depart", person=1),
]
REFUSALS = [refusal(1), refusal(2, "search_declined"), refusal(3, "escort_declined",
            "escort_declined,search_declined")]  # fmt: skip


def summary(**kw):
    args = dict(aboard_at_start=10, visitors_aboard_at_departure=2, badges=[], start=T0, end=None)
    return summarise(MOVES, REFUSALS, **{**args, **kw})


def test_boardings_and_departures_are_counted_by_kind():
    s = summary()
    assert s.boardings == {"crew": 1, "passenger": 0, "visitor": 3, "contractor": 1,
                           "authority": 0}  # fmt: skip
    assert s.departures["visitor"] == 1
    assert s.departures["crew"] == 1


def test_visitors_are_counted_once_per_purpose():
    assert summary().visitors_by_purpose == {"Stores": 2, "Repair": 1}


def test_refusals_searches_and_escorts_are_counted():
    s = summary()
    assert s.refusals_by_reason == {"expired": 1, "search_declined": 1, "escort_declined": 1}
    assert s.searches_done == 1
    assert s.searches_declined == 2
    assert s.escorts == 1


def test_maximum_on_board_walks_from_the_number_aboard_at_the_start():
    s = summary()
    assert s.max_on_board == 14
    assert s.max_on_board_at == T0 + timedelta(minutes=130)
    assert summary(aboard_at_start=0).max_on_board == 4


def test_a_person_scanned_twice_on_the_way_in_or_out_counts_once_on_board():
    """Anti-passback only flags a second boarding by default: both movements are recorded."""
    moves = [mv(1, 0, person=1), mv(2, 1, person=1), mv(3, 2, person=2),
             mv(4, 3, "depart", person=2), mv(5, 4, "depart", person=2)]  # fmt: skip
    assert [n for _, n in on_board_series(moves, 5, T0)] == [5, 6, 6, 7, 6, 6]
    s = summarise(moves, [], aboard_at_start=5, visitors_aboard_at_departure=0, badges=[],
                  start=T0, end=None)  # fmt: skip
    assert (s.max_on_board, s.max_on_board_at) == (7, T0 + timedelta(minutes=2))


def test_badges_count_only_inside_the_call():
    badges = [(T0 - timedelta(days=1), T0 + timedelta(hours=1)), (T0 + timedelta(hours=2), None),
              (T0 + timedelta(days=5), None)]  # fmt: skip
    s = summary(badges=badges, end=T0 + timedelta(days=1))
    assert (s.badges_issued, s.badges_revoked) == (1, 1)


def test_movements_per_hour_includes_empty_hours():
    rows = movements_per_hour([mv(1, 0), mv(2, 5, "depart"), mv(3, 185)])
    assert rows == [(T0, 1, 1), (T0 + timedelta(hours=1), 0, 0),
                    (T0 + timedelta(hours=2), 0, 0), (T0 + timedelta(hours=3), 1, 0)]  # fmt: skip
    assert movements_per_hour([]) == []


def test_on_board_series_steps_once_per_movement():
    series = on_board_series(MOVES[:4], 10, T0 - timedelta(hours=1))
    assert [n for _, n in series] == [10, 11, 12, 13, 12]


HASH_ROWS = (
    MOVES,
    REFUSALS,
    [FollowUpRow(1, 1, T0, "d", "r", None, None, None)],
    [LevelRow(1, 2, "threat", "flag_state", T0, None)],
    [DeclarationRow(1, 2, "SSO", "PFSO", "level", T0, T0 + timedelta(days=1), T0)],
)


def test_report_hash_of_the_same_records_never_changes():
    """Sign-offs already recorded keep matching: the canonical form is fixed."""
    assert report_hash(*HASH_ROWS) == (
        "5e649461349884fef338f5893743c8b6c12b2effaadf457323f92772a283127f"
    )


def test_report_hash_is_stable_and_ignores_row_order():
    shuffled = (list(reversed(MOVES)), *HASH_ROWS[1:])
    assert report_hash(*HASH_ROWS) == report_hash(*shuffled)
    assert re.fullmatch(r"[0-9a-f]{64}", report_hash(*HASH_ROWS))


@pytest.mark.parametrize("section", range(5))
def test_changing_any_record_changes_the_hash(section):
    rows = [list(r) for r in HASH_ROWS]
    first = rows[section][0]
    rows[section][0] = first._replace(occurred_at=T0 + timedelta(seconds=1)) if section < 2 else (
        first._replace(id=first.id + 100))  # fmt: skip
    assert report_hash(*rows) != report_hash(*HASH_ROWS)


def test_charts_are_svg_with_titles_and_no_style_attributes():
    bars = movements_per_hour_svg(movements_per_hour(MOVES))
    line = on_board_svg(on_board_series(MOVES, 10, T0), T0 + timedelta(hours=3))
    for svg in (bars, line):
        assert svg.startswith("<svg")
        assert "<title>" in svg
        assert "style=" not in svg
    assert bars.count("<rect") == 5  # 3+0, 1+1, 1+1 over three hours: five non-empty bars
    assert "Movements per hour" in bars
    assert "<polyline" in line
    assert "Persons" in line


def test_on_board_chart_keeps_the_peak_when_many_steps_share_a_pixel():
    moves = [mv(i, i / 100, "board" if i < 500 else "depart", person=i % 500) for i in range(1000)]
    svg = on_board_svg(on_board_series(moves, 0, T0))
    ys = [float(p.split(",")[1]) for p in re.search(r'points="([^"]+)"', svg)[1].split()]
    assert min(ys) == pytest.approx(28.0)  # the top of the plot: 500 persons, the y-axis top
