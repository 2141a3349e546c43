"""The ship security plan's checks: one point at level 3, some point at level 1, settings ranges."""

from __future__ import annotations

import pytest

from gangway.domain.ship.plan import (
    NONE_AT_LEVEL_1,
    NONE_AT_LEVEL_3,
    OpenLevels,
    PlanPoint,
    check_access_plan,
    check_plan_settings,
    refuse_plan_change,
)


def point(code: str, levels: str = "12", *, enabled: bool = True) -> PlanPoint:
    return PlanPoint(code, code.title(), enabled, OpenLevels(int(n) for n in levels))


def test_plan_with_one_point_at_level_3_and_one_at_level_1_is_sound():
    assert check_access_plan([point("MAIN", "123"), point("AFT", "1")]) == []


def test_plan_without_a_level_3_point_is_a_problem():
    assert check_access_plan([point("MAIN"), point("AFT")]) == [NONE_AT_LEVEL_3]


def test_two_points_open_at_level_3_are_a_problem_naming_both():
    problems = check_access_plan([point("MAIN", "123"), point("AFT", "13")])
    assert len(problems) == 1
    assert "not 2" in problems[0]
    assert "Main (MAIN)" in problems[0]
    assert "Aft (AFT)" in problems[0]


def test_disabled_point_does_not_count_as_open():
    problems = check_access_plan([point("MAIN", "123", enabled=False), point("AFT", "1")])
    assert problems == [NONE_AT_LEVEL_3]


def test_plan_with_nothing_open_at_level_1_is_a_problem():
    assert check_access_plan([point("MAIN", "3")]) == [NONE_AT_LEVEL_1]


def test_empty_plan_has_both_problems():
    assert check_access_plan([]) == [NONE_AT_LEVEL_1, NONE_AT_LEVEL_3]


def test_opening_a_second_point_at_level_3_is_refused():
    before = [point("MAIN", "123"), point("AFT", "1")]
    after = [point("MAIN", "123"), point("AFT", "13")]
    assert "Only one access point" in refuse_plan_change(before, after)


def test_moving_the_level_3_point_is_allowed():
    before = [point("MAIN", "123"), point("AFT", "1")]
    after = [point("MAIN", "12"), point("AFT", "13")]
    assert refuse_plan_change(before, after) is None


def test_closing_the_level_3_point_is_allowed_as_a_step():
    before = [point("MAIN", "123"), point("AFT", "1")]
    assert refuse_plan_change(before, [point("MAIN", "12"), point("AFT", "1")]) is None


def test_closing_the_last_point_at_level_1_is_refused():
    before = [point("MAIN", "123"), point("AFT", "2")]
    after = [point("MAIN", "23"), point("AFT", "2")]
    assert refuse_plan_change(before, after) == NONE_AT_LEVEL_1


def test_sound_settings_have_no_problems():
    assert check_plan_settings([10, 25, 100], 5, ["visitor", "contractor"]) == []


@pytest.mark.parametrize(
    ("percents", "ratio", "kinds", "field"),
    [
        ([-1, 25, 100], 5, [], "search_percent_1"),
        ([10, 101, 100], 5, [], "search_percent_2"),
        ([10, 25, 200], 5, [], "search_percent_3"),
        ([10, 25, 100], 0, [], "escort_ratio"),
        ([10, 25, 100], 51, [], "escort_ratio"),
        ([10, 25, 100], 5, ["visitor", "pirate"], "escorted_kinds"),
    ],
)
def test_out_of_range_setting_is_reported_on_its_field(percents, ratio, kinds, field):
    assert [f for f, _ in check_plan_settings(percents, ratio, kinds)] == [field]


def test_limits_themselves_are_valid():
    assert check_plan_settings([0, 100, 100], 1, []) == []
    assert check_plan_settings([0, 0, 0], 50, ["authority"]) == []


def test_open_levels_read_back_from_each_stored_form_as_they_were_written():
    levels = OpenLevels.from_text("101")  # a plan revision's form: open at levels 1 and 3
    assert levels == {1, 3}
    assert 2 not in levels
    assert levels.text() == "101"
    assert levels.by_level() == {"1": True, "2": False, "3": True}  # the API's form
    assert OpenLevels.from_by_level(levels.by_level()) == levels
    assert levels.columns() == {"open_at_1": True, "open_at_2": False, "open_at_3": True}
    assert OpenLevels.from_flags(levels.columns().values()) == levels


def test_open_levels_refuse_a_level_that_does_not_exist():
    with pytest.raises(ValueError, match="1, 2 and 3"):
        OpenLevels((1, 4))
