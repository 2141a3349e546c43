"""The inspection access's code and state: pure rules, no app (issue 19 point 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.inspections.access import (
    ALPHABET,
    EXPIRED,
    OPEN,
    REVOKED,
    access_state,
    code_from_numbers,
    format_code,
    hours_problem,
    normalise_code,
)

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_code_has_no_characters_read_out_wrongly():
    assert not set("01OI") & set(ALPHABET)
    assert len(ALPHABET) == 32


def test_a_code_is_read_back_however_the_officer_types_it():
    code = code_from_numbers(list(range(12)))
    assert format_code(code) == "ABCD-EFGH-JKLM"
    assert normalise_code(" abcd efgh-jklm ") == code
    assert normalise_code("ABCD-EFGH-JKL") is None  # one short
    assert normalise_code("ABCD-EFGH-JKL0") is None  # 0 is never in a code
    assert normalise_code(None) is None


@pytest.mark.parametrize(
    ("now", "revoked_at", "state"),
    [
        (AT - timedelta(seconds=1), None, OPEN),
        (AT, None, EXPIRED),
        (AT - timedelta(hours=1), AT - timedelta(hours=2), REVOKED),
        (AT + timedelta(hours=1), AT - timedelta(hours=2), REVOKED),
    ],
)
def test_an_access_is_open_until_it_expires_or_is_revoked(now, revoked_at, state):
    assert access_state(AT, revoked_at, now) == state


def test_the_validity_is_some_hours_never_more_than_a_day():
    assert hours_problem(4) is None
    assert all(hours_problem(h) for h in (0, -1, 25, True, "4"))
