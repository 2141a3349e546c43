"""When a Declaration of Security is needed, and what a DoS and a change of level must hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.ship.declarations import (
    check_declaration,
    check_level_change,
    is_declaration_in_force,
    is_declaration_needed,
)

NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
GOOD_DOS = {
    "level": 2,
    "ship_party_name": "A. Master",
    "ship_party_role": "master",
    "port_party_name": "P. Officer",
    "reason": "Ship at level 2, port at level 1",
    "measures": "Escort all visitors; search 25 percent.",
    "valid_from": NOW,
    "valid_until": NOW + timedelta(days=1),
    "signed_at": NOW,
}
GOOD_CHANGE = {
    "level": 2,
    "reason": "Flag state directive",
    "ordered_by": "flag_state",
    "notified_at": NOW,
    "complied_at": NOW + timedelta(minutes=30),
}


@pytest.mark.parametrize(
    ("ship", "port", "has_dos", "needed"),
    [
        (2, 1, False, True),
        (3, 1, False, True),
        (3, 2, False, True),
        (2, 1, True, False),
        (1, 1, False, False),
        (2, 2, False, False),
        (1, 2, False, False),
        (2, None, False, False),
    ],
)
def test_a_declaration_is_needed_only_when_the_ship_is_above_the_port_without_one(
    ship, port, has_dos, needed
):
    assert is_declaration_needed(ship, port, has_dos) is needed


@pytest.mark.parametrize(
    ("dos_level", "start", "end", "in_force"),
    [
        (2, -1, 1, True),
        (3, -1, 1, True),
        (1, -1, 1, False),  # agreed for a lower level than the ship's
        (2, 1, 2, False),  # not yet valid
        (2, -2, -1, False),  # expired
        (2, -1, 0, False),  # ends exactly now
    ],
)
def test_a_declaration_is_in_force_when_valid_now_and_covering_the_ship_level(
    dos_level, start, end, in_force
):
    hour = timedelta(hours=1)
    result = is_declaration_in_force(
        dos_level, NOW + start * hour, NOW + end * hour, ship_level=2, now=NOW
    )
    assert result is in_force


def test_a_complete_declaration_has_no_problems():
    assert check_declaration(**GOOD_DOS) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": 4}, "level"),
        ({"level": None}, "level"),
        ({"ship_party_name": "  "}, "ship_party_name"),
        ({"ship_party_role": "bosun"}, "ship_party_role"),
        ({"port_party_name": ""}, "port_party_name"),
        ({"reason": ""}, "reason"),
        ({"measures": " \n"}, "measures"),
        ({"valid_until": NOW}, "valid_until"),
        ({"valid_until": NOW - timedelta(hours=1)}, "valid_until"),
        ({"valid_from": None}, "valid_until"),
        ({"signed_at": None}, "signed_at"),
    ],
)
def test_an_incomplete_declaration_names_the_field(changes, field):
    problems = check_declaration(**{**GOOD_DOS, **changes})
    assert [f for f, _ in problems] == [field]


def test_a_complete_change_of_level_has_no_problems():
    assert check_level_change(**GOOD_CHANGE) == []


def test_a_change_of_level_not_yet_complied_with_is_fine():
    assert check_level_change(**{**GOOD_CHANGE, "complied_at": None}) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 4}, "level"),
        ({"reason": " "}, "reason"),
        ({"ordered_by": "captain"}, "ordered_by"),
        ({"notified_at": None}, "notified_at"),
        ({"complied_at": NOW - timedelta(minutes=1)}, "complied_at"),
    ],
)
def test_a_bad_change_of_level_names_the_field(changes, field):
    problems = check_level_change(**{**GOOD_CHANGE, **changes})
    assert [f for f, _ in problems] == [field]
