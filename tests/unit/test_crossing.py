"""Direction and purpose of a crossing: a scan moves the person across; purpose is the person's."""

from __future__ import annotations

import pytest

from gangway.domain.scan.crossing import WrongWay, choose_direction, visit_purpose
from gangway.domain.scan.types import AccessPointFacts, Direction, PersonKind

BOARD, DEPART = Direction.BOARD, Direction.DEPART
BOTH_WAYS = AccessPointFacts("GW", "Main gangway")
BOARDING_ONLY = AccessPointFacts("FWD", "Forward gangway", one_way=BOARD)
LEAVING_ONLY = AccessPointFacts("AFT", "Aft gangway", one_way=DEPART)


@pytest.mark.parametrize(
    ("asked", "aboard", "point", "chosen"),
    [
        (None, False, BOTH_WAYS, BOARD),  # ashore: the scan brings them aboard
        (None, True, BOTH_WAYS, DEPART),  # aboard: the scan takes them ashore
        (BOARD, True, BOTH_WAYS, BOARD),  # the watch set this one scan's direction
        (DEPART, False, BOTH_WAYS, DEPART),
        (None, True, BOARDING_ONLY, BOARD),  # a boarding-only point boards, aboard or not
        (None, False, LEAVING_ONLY, DEPART),
        (BOARD, False, BOARDING_ONLY, BOARD),
        (None, False, None, BOARD),  # no point known (refused anyway)
    ],
)
def test_direction_is_across_unless_set_for_this_scan_or_by_the_point(asked, aboard, point, chosen):
    assert choose_direction(asked, is_aboard=aboard, point=point) is chosen


@pytest.mark.parametrize(
    ("asked", "point", "message"),
    [
        (DEPART, BOARDING_ONLY, "Forward gangway is for boarding only."),
        (BOARD, LEAVING_ONLY, "Aft gangway is for leaving only."),
    ],
)
def test_asking_for_the_direction_a_one_way_point_does_not_serve_is_malformed(
    asked, point, message
):
    with pytest.raises(WrongWay, match=message):
        choose_direction(asked, is_aboard=False, point=point)


@pytest.mark.parametrize(
    ("kind", "on_record", "stated", "recorded"),
    [
        (PersonKind.VISITOR, "Surveyor / class", "Stores delivery", "Surveyor / class"),
        (PersonKind.VISITOR, None, "Stores delivery", "Stores delivery"),
        (PersonKind.VISITOR, "  ", " Ship's agent ", "Ship's agent"),
        (PersonKind.CONTRACTOR, None, None, None),
        (PersonKind.AUTHORITY, "Port state control", "", "Port state control"),
        (PersonKind.CREW, "Joining", "Stores delivery", None),
        (PersonKind.PASSENGER, None, "Shore excursion", None),
    ],
)
def test_purpose_is_the_registered_one_else_the_stated_one_and_never_for_crew_or_passengers(
    kind, on_record, stated, recorded
):
    assert visit_purpose(kind, on_record, stated) == recorded
