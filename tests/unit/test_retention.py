"""Retention of port call records: SOLAS XI-2/9.2.1 and 33 CFR 104.235."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.ship.retention import is_purgeable

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAYS = 730
OLD = NOW - timedelta(days=DAYS + 1)
ARCHIVED = NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("departed_at", "rank", "archived_at", "expected", "why"),
    [
        (OLD, 11, ARCHIVED, True, ""),
        (OLD, 500, ARCHIVED, True, ""),
        (None, 11, ARCHIVED, False, "still open"),
        (None, 1, None, False, "still open"),
        (OLD, 10, ARCHIVED, False, "last 10"),
        (OLD, 1, ARCHIVED, False, "last 10"),
        (NOW - timedelta(days=DAYS), 11, ARCHIVED, False, "less than 730 days"),
        (NOW - timedelta(days=DAYS - 1), 11, ARCHIVED, False, "less than 730 days"),
        (NOW - timedelta(days=DAYS, seconds=1), 11, ARCHIVED, True, ""),
        (OLD, 11, None, False, "not been archived"),
        (NOW - timedelta(days=3), 11, None, False, "less than 730 days"),
    ],
)
def test_is_purgeable(departed_at, rank, archived_at, expected, why):
    purgeable, reason = is_purgeable(departed_at, rank, archived_at, NOW, DAYS)
    assert purgeable is expected
    assert why in reason
    assert bool(reason) is not expected


def test_the_retention_period_is_a_parameter():
    departed = NOW - timedelta(days=40)
    assert is_purgeable(departed, 11, ARCHIVED, NOW, 30) == (True, "")
    assert not is_purgeable(departed, 11, ARCHIVED, NOW, 60)[0]
