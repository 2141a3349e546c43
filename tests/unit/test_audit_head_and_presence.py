"""Presence replayed from movements, and the chain head as people read it back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.records.audit_anchor import anchor_holds, parse_anchor, short_head
from gangway.domain.scan.presence_log import Presence, replay

T = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
H = "3f9a0c1d" + "0" * 48 + "77e2c4b0"


def replayed(*movements) -> int | None:
    presence = Presence()
    for movement in movements:
        presence = replay(presence, *movement)
    return presence.aboard


def test_a_boarding_sets_presence_and_a_departure_clears_it():
    assert replayed((1, "board", T, T)) == 1
    assert replayed((1, "board", T, T), (2, "depart", T, T)) is None
    assert replayed() is None


def test_a_late_scan_older_than_the_last_crossing_leaves_presence_alone():
    live = (1, "board", T, T)
    late_depart = (2, "depart", T - timedelta(hours=1), T + timedelta(minutes=5))
    assert replayed(live, late_depart) == 1
    newest_late = (2, "depart", T + timedelta(minutes=1), T + timedelta(minutes=5))
    assert replayed(live, newest_late) is None  # later than every crossing: it moves presence
    assert replayed(live, (2, "depart", T - timedelta(hours=1), T - timedelta(hours=1))) is None


@pytest.mark.parametrize(
    "shown",
    [f"#1234 {H[:8]}…{H[-8:]}", f"1234:{H}", f"#1234 sha256:{H}", f"  #1234   {H.upper()} "],
)
def test_an_anchor_is_taken_as_it_is_shown(shown):
    seq, expected = parse_anchor(shown)
    assert seq == 1234
    assert anchor_holds(expected, H)
    assert not anchor_holds(expected, H[:-1] + "1")


def test_the_short_head_is_what_the_anchor_reads_back():
    assert short_head(1234, H) == "#1234 3f9a0c1d…77e2c4b0"
    assert parse_anchor(short_head(1234, H)) == (1234, "3f9a0c1d…77e2c4b0")
    assert parse_anchor("#1234 3f9a") is None
    assert parse_anchor(f"#{'9' * 25}:{H}") is None  # more than the database's integer
