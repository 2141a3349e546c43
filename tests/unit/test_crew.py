"""Crew changes in the core: a badge's state, the views of the crew list, a crew member typed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gangway.domain.lists.crew import badge_state, document_problem, in_filter, read_crew_member

NOW = datetime(2026, 12, 6, 14, 5, tzinfo=UTC)
HOUR = timedelta(hours=1)
TYPED = {
    "family_name": " Okafor ",
    "given_names": "",
    "rank_or_rating": "Cook",
    "nationality": "nga",
    "date_of_birth": "1990-04-02",
    "place_of_birth": "",
    "gender": "",
    "document_type": "Seafarer ID",
    "document_number": "NG-445566",
    "document_issuing_state": "",
    "document_expiry": "",
}


@pytest.mark.parametrize(
    ("window", "revoked_at", "state"),
    [
        ((NOW - HOUR, NOW + HOUR), None, "valid"),
        ((NOW - HOUR, NOW + HOUR), NOW - HOUR, "revoked"),
        ((NOW - HOUR, NOW + HOUR), NOW + HOUR, "valid"),  # a revocation set for later
        ((NOW + HOUR, NOW + 2 * HOUR), None, "not_yet_valid"),
        ((NOW - 2 * HOUR, NOW), None, "expired"),  # the end instant is already outside
        ((NOW - 2 * HOUR, NOW - HOUR), NOW - 3 * HOUR, "revoked"),  # revoked says more
        ((None, None), None, "none"),
    ],
)
def test_a_badge_is_valid_revoked_expired_not_yet_valid_or_missing(window, revoked_at, state):
    assert badge_state(*window, revoked_at, NOW) == state


@pytest.mark.parametrize(
    ("signed_on", "aboard", "views"),
    [
        (True, True, {"signed_on", "aboard", "all"}),
        (True, False, {"signed_on", "ashore", "all"}),
        (False, True, {"signed_off", "aboard", "all"}),  # signed off, not yet walked off
        (False, False, {"signed_off", "all"}),
    ],
)
def test_each_crew_member_shows_in_the_views_that_describe_them(signed_on, aboard, views):
    names = ("signed_on", "aboard", "ashore", "signed_off", "all", "unknown")
    shown = {n for n in names if in_filter(n, is_signed_on=signed_on, is_aboard=aboard)}
    assert shown == views


def test_a_crew_member_typed_in_is_read_like_a_line_of_the_crew_list():
    row, problems = read_crew_member(TYPED)
    assert problems == ()
    assert (row.family_name, row.given_names, row.nationality) == ("Okafor", "", "NGA")
    assert row.date_of_birth == date(1990, 4, 2)
    assert (row.place_of_birth, row.document_expiry) == (None, None)


def test_every_wrong_field_is_named_at_once():
    typed = {**TYPED, "family_name": "", "nationality": "Nigerium", "date_of_birth": "2/4/1990"}
    typed |= {"document_number": "@SUM(A1)", "gender": "x" * 17}
    row, problems = read_crew_member(typed)
    assert row is None
    assert [p.column for p in problems] == [
        "family_name",
        "nationality",
        "date_of_birth",
        "gender",
        "document_number",
    ]
    assert problems[0].message == "Required: fill this in."
    assert "spreadsheet" in problems[-1].message


def test_a_missing_field_counts_as_empty():
    _, problems = read_crew_member({"family_name": "Okafor"})
    assert {p.column for p in problems} == {
        "nationality",
        "date_of_birth",
        "document_type",
        "document_number",
    }


@pytest.mark.parametrize(
    ("expires_on", "refused"),
    [(None, False), (date(2026, 12, 6), False), (date(2026, 12, 5), True)],
)
def test_nobody_is_signed_on_with_an_expired_document(expires_on, refused):
    problem = document_problem(expires_on, NOW.date())
    assert (problem is not None) is refused
    if refused:
        assert problem.column == "document_expiry"
        assert "2026-12-05" in problem.message
