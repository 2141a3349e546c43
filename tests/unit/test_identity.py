"""Identity checks without a badge, the watch list and work orders, at every direction."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.identity import (
    WatchEntry,
    check_inspected_document,
    find_watch_list_match,
    normalise_document_number,
    normalise_name,
)
from gangway.domain.scan.types import (
    Credential,
    Direction,
    PersonFacts,
    PersonKind,
    Policy,
    ScanFacts,
    Severity,
    Verdict,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
BOARD, DEPART = Direction.BOARD, Direction.DEPART
PILOT = PersonFacts(9, PersonKind.AUTHORITY, "Janssen", "Kees", document_number="NL-123 456")


def manual(person=PILOT, direction=BOARD, inspected="NL123456", **more) -> ScanFacts:
    return ScanFacts(
        direction=direction,
        credential=Credential.ID_DOCUMENT,
        person=person,
        is_aboard=direction is DEPART,
        purpose="Pilot",
        inspected_document=inspected,
        **more,
    )


def codes(decision):
    return [r.code for r in decision.reasons]


@pytest.mark.parametrize("direction", [BOARD, DEPART])
def test_manual_check_with_the_document_on_record_is_allowed(direction):
    assert decide_scan(manual(direction=direction), Policy(), NOW).verdict is Verdict.ALLOWED


@pytest.mark.parametrize("direction", [BOARD, DEPART])
@pytest.mark.parametrize(
    ("inspected", "code"),
    [
        (None, "document_not_inspected"),
        ("  ", "document_not_inspected"),
        ("XX999", "document_mismatch"),
    ],
)
def test_manual_check_without_a_matching_document_is_refused(direction, inspected, code):
    decision = decide_scan(manual(direction=direction, inspected=inspected), Policy(), NOW)
    assert decision.verdict is Verdict.REFUSED
    assert codes(decision) == [code]


def test_manual_check_of_someone_with_no_document_on_record_accepts_the_one_shown():
    person = replace(PILOT, document_number=None)
    assert decide_scan(manual(person, inspected="ID 77"), Policy(), NOW).is_allowed


@pytest.mark.parametrize("kind", list(PersonKind))
def test_watch_listed_person_is_refused_boarding_whatever_the_kind(kind):
    entry = WatchEntry(4, "theft of stores", document_number="nl123456")
    facts = manual(replace(PILOT, kind=kind), watch_list=(entry,))
    decision = decide_scan(facts, Policy(), NOW)
    assert decision.verdict is Verdict.REFUSED
    assert decision.refusal.code == "watch_listed"
    assert "theft of stores" in decision.refusal.message
    assert decision.refusal.ref == 4


@pytest.mark.parametrize(
    ("direction", "ends"), [(None, "Refuse and call the SSO."), (DEPART, "Tell the SSO.")]
)
def test_a_fleet_list_match_names_the_fleet_list_as_its_source(direction, ends):
    entry = WatchEntry(9, "stowaway attempt", document_number="nl123456", source="fleet")
    facts = (
        manual(direction=direction, watch_list=(entry,))
        if direction
        else manual(watch_list=(entry,))
    )
    [reason] = decide_scan(facts, Policy(), NOW).reasons
    assert reason.message == f"On the fleet watch list (CSO ashore): stowaway attempt. {ends}"
    assert reason.ref == 9


def test_watch_listed_person_leaving_is_let_go_but_flagged():
    entry = WatchEntry(4, "theft", family_name="JANSSEN", given_names="kees")
    decision = decide_scan(manual(direction=DEPART, watch_list=(entry,)), Policy(), NOW)
    assert decision.verdict is Verdict.ALLOWED
    assert [(r.code, r.severity) for r in decision.reasons] == [("watch_listed", Severity.WARNING)]


@pytest.mark.parametrize(
    ("entry", "matches"),
    [
        (WatchEntry(1, "r", document_number="NL 123-456"), True),
        (WatchEntry(1, "r", family_name="Janssen", given_names="Kees"), True),
        (WatchEntry(1, "r", family_name="JANSSÉN", given_names="KEES"), True),
        (WatchEntry(1, "r", family_name="Janssen"), False),  # a family name alone stops namesakes
        (WatchEntry(1, "r", family_name="Janssen", given_names="Piet"), False),
        (WatchEntry(1, "r", document_number="NL123457"), False),
    ],
)
def test_watch_list_matches_by_document_or_full_name(entry, matches):
    found = find_watch_list_match("Janssen", "Kees", "NL123456", [entry])
    assert (found is not None) is matches


def test_names_compare_in_any_script_without_accents_or_separators():
    assert normalise_name("Müller-Lüdenscheidt") == normalise_name("MULLER LUDENSCHEIDT")
    assert normalise_name("Иванов") == normalise_name("ИВАНОВ")
    assert normalise_name("王 小明") == "王小明"
    assert normalise_document_number(" p-12 34 ") == "P1234"


@pytest.mark.parametrize(
    ("inspected", "record", "code"),
    [
        ("X1", None, None),
        ("x-1", "X1", None),
        ("", "X1", "document_not_inspected"),
        ("X2", "X1", "document_mismatch"),
    ],
)
def test_document_check_table(inspected, record, code):
    result = check_inspected_document(inspected, record)
    assert (result.code if result else None) == code


WINDOWS = [  # (from, until, boarding code)
    (NOW - HOUR, NOW + HOUR, None),
    (NOW + HOUR, NOW + 2 * HOUR, "work_order_not_yet_valid"),
    (NOW - 2 * HOUR, NOW - HOUR, "work_order_expired"),
    (None, None, None),
]


@pytest.mark.parametrize(("start", "end", "code"), WINDOWS)
@pytest.mark.parametrize("direction", [BOARD, DEPART])
def test_contractor_boards_only_within_the_work_order(start, end, code, direction):
    fitter = PersonFacts(
        5,
        PersonKind.CONTRACTOR,
        "Berg",
        "Ole",
        "W1",
        work_order_valid_from=start,
        work_order_valid_until=end,
    )
    decision = decide_scan(manual(fitter, direction, inspected="W1"), Policy(), NOW)
    if code is None:
        assert decision.reasons == ()
    elif direction is BOARD:
        assert decision.verdict is Verdict.REFUSED
        assert codes(decision) == [code]
    else:
        assert decision.verdict is Verdict.ALLOWED
        assert decision.warnings[0].code == code


@pytest.mark.parametrize("kind", [k for k in PersonKind if k is not PersonKind.CONTRACTOR])
def test_work_order_windows_only_concern_contractors(kind):
    person = PersonFacts(5, kind, "Berg", "Ole", "W1", work_order_valid_until=NOW - HOUR)
    assert decide_scan(manual(person, inspected="W1"), Policy(), NOW).is_allowed


def test_boarding_pass_holder_on_the_manifest_is_allowed_without_a_badge():
    passenger = PersonFacts(7, PersonKind.PASSENGER, "Doe", "Jane")
    facts = ScanFacts(direction=BOARD, credential=Credential.BOARDING_PASS, person=passenger)
    assert decide_scan(facts, Policy(), NOW).is_allowed
