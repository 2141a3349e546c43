"""The PFSO's access log core: masking, facility matching, filter parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gangway.domain.reporting.access_log import (
    BadFilters,
    LogFilters,
    is_masked,
    local_time,
    mask_document,
    parse_filters,
    pfso_may_see,
)
from gangway.domain.ship.port_calls import is_time_zone, port_call_problem

ARRIVED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("P1234567", "••••4567"),
        ("AB123456789", "•••••••6789"),
        ("1234", "1234"),
        ("12", "12"),
        ("", ""),
        (None, ""),
    ],
)
def test_document_numbers_keep_only_their_last_four_characters(number, shown):
    assert mask_document(number) == shown


@pytest.mark.parametrize(
    ("call", "user", "seen"),
    [
        (("Euromax", "NLRTM"), ("Euromax", "NLRTM"), True),
        (("Euromax", "NLRTM"), ("EUROMAX ", "nlrtm"), True),
        ((" euromax", None), ("Euromax", "NLRTM"), True),  # a side without a LOCODE: name only
        (("Euromax", "NLRTM"), ("Euromax", None), True),
        (("Euromax", "NLRTM"), ("Euromax", " "), True),
        (("Euromax", "NLRTM"), ("Waalhaven", "NLRTM"), False),
        (("Euromax", "NLRTM"), ("Euromax", "DEHAM"), False),
        # The facility name is required on both sides: a LOCODE alone is a whole port.
        (("Euromax", "NLRTM"), (None, "NLRTM"), False),
        (("Euromax", "NLRTM"), ("  ", "NLRTM"), False),
        ((None, "NLRTM"), ("Euromax", "NLRTM"), False),
        (("", "NLRTM"), ("", "NLRTM"), False),
        ((None, "NLRTM"), (None, "NLRTM"), False),
        (("Euromax", None), (None, "NLRTM"), False),
        ((None, None), ("Euromax", "NLRTM"), False),
        (("Euromax", "NLRTM"), (None, None), False),
        ((None, None), (None, None), False),
    ],
)
def test_a_pfso_sees_only_port_calls_at_their_own_facility(call, user, seen):
    assert pfso_may_see(*call, *user) is seen


@pytest.mark.parametrize(
    ("role", "shared", "masked"),
    [("pfso", False, True), ("pfso", True, False), ("sso", False, False), ("master", False, False)],
)
def test_only_the_pfso_sees_masked_documents_unless_the_call_shares_them(role, shared, masked):
    assert is_masked(role, shared) is masked


def test_local_time_uses_the_port_time_zone_and_falls_back_to_utc():
    assert local_time(ARRIVED, "Europe/Amsterdam").hour == 9
    assert local_time(ARRIVED, "Not/AZone").hour == 8


def test_no_filter_means_everything_newest_first():
    assert parse_filters({}) == LogFilters()
    assert LogFilters().sort == "-time"
    assert LogFilters().page_size == 50


def test_good_filters_are_read_with_times_in_utc():
    filters = parse_filters(
        {
            "direction": "board",
            "kind": "visitor",
            "outcome": "refused",
            "purpose": " delivery ",
            "point": "MAIN-GW",
            "from": "2026-11-22T08:00",
            "to": "2026-11-22T10:00+01:00",
            "q": "hansen",
            "sort": "-name",
            "page": "3",
        }
    )
    assert filters == LogFilters(
        direction="board",
        kind="visitor",
        outcome="refused",
        purpose="delivery",
        access_point="MAIN-GW",
        from_at=datetime(2026, 11, 22, 8, 0, tzinfo=UTC),
        to_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC),
        q="hansen",
        sort="-name",
        page=3,
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"kind": "pirate"}, "kind"),
        ({"outcome": "maybe"}, "outcome"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-11-22T10:00", "to": "2026-11-22T09:00"}, "to"),
        ({"q": "x" * 101}, "q"),
        ({"sort": "company"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "٣"}, "page"),
        ({"page": "9" * 5000}, "page"),  # int() itself refuses this many digits
    ],
)
def test_bad_filters_are_refused_with_the_field_named(args, field):
    with pytest.raises(BadFilters) as caught:
        parse_filters(args)
    assert [f for f, _ in caught.value.problems] == [field]


def test_every_bad_filter_is_reported_at_once():
    with pytest.raises(BadFilters) as caught:
        parse_filters({"direction": "up", "kind": "x", "page": "0"})
    assert [f for f, _ in caught.value.problems] == ["direction", "kind", "page"]


@pytest.mark.parametrize(
    ("fields", "problem_field"),
    [
        ({}, None),
        ({"port_name": ""}, "port_name"),
        ({"unlocode": "NLRT"}, "unlocode"),
        ({"unlocode": "NL-RT"}, "unlocode"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"departs_at": datetime(2026, 11, 21, tzinfo=UTC)}, "departs_at"),
        ({"port_security_level": 4}, "port_security_level"),
    ],
)
def test_a_port_call_needs_a_name_a_locode_and_a_real_time_zone(fields, problem_field):
    values = {
        "port_name": "Rotterdam",
        "unlocode": "NLRTM",
        "timezone": "Europe/Amsterdam",
        "arrived_at": ARRIVED,
        "departs_at": None,
        "port_security_level": 1,
        **fields,
    }
    problem = port_call_problem(**values)
    assert (problem[0] if problem else None) == problem_field


@pytest.mark.parametrize(
    ("name", "known"), [("UTC", True), ("Asia/Singapore", True), ("Europe", False), ("", False)]
)
def test_time_zones_come_from_the_iana_database(name, known):
    assert is_time_zone(name) is known
