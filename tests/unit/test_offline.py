"""Offline scans settled by the ship's own decision: what happened at the gangway stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.scan import levels
from gangway.domain.scan import reasons as R
from gangway.domain.scan.offline import scan_time_problem, settle_offline
from gangway.domain.scan.types import Decision, Direction, Verdict

NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
BOARD = Direction.BOARD
ALLOWED = Decision(Verdict.ALLOWED, BOARD, (R.NOT_ABOARD_WARNING,))
REFUSED = Decision(Verdict.REFUSED, BOARD, (R.REVOKED,))
ESCORT = Decision(Verdict.ESCORT_NEEDED, BOARD, (levels.ESCORT_NEEDED,))


def codes(decision: Decision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_an_allowance_both_agree_on_is_recorded_as_decided_without_a_search():
    settled = settle_offline(
        Decision(Verdict.ALLOWED, BOARD, search_required=True), "allowed", None
    )
    assert settled.verdict is Verdict.ALLOWED
    assert settled.is_final


def test_an_offline_verdict_sent_with_a_time_of_now_still_asks_the_drawn_search():
    drawn = Decision(Verdict.ALLOWED, BOARD, search_required=True)
    settled = settle_offline(drawn, "allowed", None, searchable=True)
    assert (settled.is_final, settled.search_required) == (False, True)


def test_a_tablet_refusal_stands_when_the_records_would_allow():
    settled = settle_offline(ALLOWED, "refused", "unknown_badge")
    assert settled.verdict is Verdict.REFUSED
    assert codes(settled) == ["offline_refused", "not_aboard"]
    assert "unknown_badge" in settled.reasons[0].message


def test_a_refusal_both_agree_on_keeps_the_records_reasons_unmarked():
    assert settle_offline(REFUSED, "refused", "revoked") == REFUSED


def test_an_allowance_the_records_refuse_becomes_a_refusal_that_says_so_first():
    settled = settle_offline(REFUSED, "allowed", None)
    assert codes(settled) == ["revoked"]
    assert settled.reasons[0].message == (
        "OFFLINE: the tablet let this person cross. Badge has been revoked."
    )


@pytest.mark.parametrize("provisional", ["allowed", "refused"])
def test_an_escort_nobody_can_assign_any_more_is_a_refusal(provisional):
    settled = settle_offline(ESCORT, provisional, "escort_needed")
    assert settled.verdict is Verdict.REFUSED
    assert codes(settled) == ["escort_needed"]
    assert settled.is_final


@pytest.mark.parametrize("provisional", ["allowed", "refused"])
def test_a_purpose_nobody_can_ask_any_more_is_a_refusal_for_no_purpose(provisional):
    asked = Decision(Verdict.PURPOSE_NEEDED, BOARD, (R.PURPOSE_NEEDED, R.ALREADY_ABOARD_WARNING))
    settled = settle_offline(asked, provisional, None)
    assert settled.verdict is Verdict.REFUSED
    assert codes(settled) == ["purpose_required", "already_aboard"]
    assert settled.is_final


@pytest.mark.parametrize(
    ("scanned_at", "problem"),
    [
        (NOW - timedelta(hours=71), None),
        (NOW + timedelta(minutes=4), None),
        (NOW + timedelta(minutes=6), "in the future"),
        (NOW - timedelta(hours=73), "more than 72 hours old"),
        (datetime(2026, 11, 22, 15, 0), "time zone"),
    ],
)
def test_device_times_are_accepted_only_within_sane_bounds(scanned_at, problem):
    found = scan_time_problem(
        scanned_at, NOW, max_age=timedelta(hours=72), skew=timedelta(minutes=5)
    )
    assert (found is None) if problem is None else (problem in found)
