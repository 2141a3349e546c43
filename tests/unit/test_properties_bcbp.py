"""Properties of boarding pass reading and manifest matching over any scanned text.

IATA Resolution 792 fixes every item's size, so a pass cut anywhere must be refused rather than
read with items missing; matching any text against the manifest answers, never crashes (ISPS
Code B/9.11: passengers prove identity by boarding passes or tickets).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.bcbp import InvalidBoardingPass, parse_bcbp, resolve_julian_date
from gangway.domain.codes.manifest import ManifestEntry, match_boarding_pass
from tests.unit.test_bcbp import BCBP_LIKE, GUIDE_MANDATORY, GUIDE_TWO_LEGS, GUIDE_V6

PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
GUIDE_PASSES = [GUIDE_MANDATORY, GUIDE_V6, GUIDE_TWO_LEGS]
MANIFEST = [
    ManifestEntry(1, "DESMARAIS", "Luc", booking_reference="ABC123", ticket_number="0142345678"),
    ManifestEntry(2, "DESMARAIS", "Anne", booking_reference="ABC123"),
    ManifestEntry(3, "WANG", "Li", booking_reference="XYZ789", ticket_number="0142345678"),
]
REFUSALS = {"malformed_pass", "not_on_manifest", "pass_name_mismatch", "pass_ambiguous"}


@PROPERTIES
@given(st.sampled_from(GUIDE_PASSES), st.data())
def test_a_pass_cut_short_anywhere_is_refused_not_read_with_items_missing(text, data):
    length = data.draw(st.integers(0, len(text) - 1), label="length")
    whole = parse_bcbp(text)
    if whole.security_data is not None and length == len(text) - len(_security_section(whole)):
        # Cut just before the security section, which is optional: a whole pass without one,
        # every item of every leg read (nothing is missing but what a pass may leave out).
        cut = parse_bcbp(text[:length])
        assert (cut.legs, cut.security_data) == (whole.legs, None)
        return
    with pytest.raises(InvalidBoardingPass, match="^(Boarding pass|Not an IATA)"):
        parse_bcbp(text[:length])


def _security_section(read) -> str:
    """Return the security section as it ends the pass: marker, type, size, data."""
    return f"^{read.security_type}{len(read.security_data):02X}{read.security_data}"


@PROPERTIES
@given(
    st.text(max_size=120)
    | BCBP_LIKE
    | st.sampled_from(GUIDE_PASSES).flatmap(lambda t: st.integers(0, len(t)).map(lambda n: t[:n]))
    | st.sampled_from(["ABC123", " abc-123 ", "0142345678", "XYZ789", "M1" + " " * 58])
)
def test_any_scanned_text_matches_one_passenger_or_gives_a_reason_never_crashes(text):
    found = match_boarding_pass(text, MANIFEST)
    assert found.entry is None or found.entry in MANIFEST
    if found.problem is not None:
        assert found.entry is None
        assert found.problem.code in REFUSALS
        assert found.problem.message


@PROPERTIES
@given(st.integers(-(10**6), 10**6), st.dates())
def test_a_julian_date_resolves_to_that_day_of_the_year_within_a_year_or_to_nothing(day, today):
    resolved = resolve_julian_date(day, today)
    if resolved is not None:
        assert resolved.timetuple().tm_yday == day
        assert abs(resolved - today) <= timedelta(days=366)
    elif 1 <= day <= 365 and date(2, 1, 1) <= today <= date(9998, 1, 1):
        raise AssertionError("every ordinary day of the year exists in this year")


def test_a_pass_cut_just_before_its_security_section_reads_whole_without_it():
    whole = parse_bcbp(GUIDE_TWO_LEGS)
    cut = parse_bcbp(GUIDE_TWO_LEGS[: len(GUIDE_TWO_LEGS) - len(_security_section(whole))])
    assert cut.legs == whole.legs
    assert (cut.security_type, cut.security_data) == (None, None)
