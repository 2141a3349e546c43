"""Check ID from a photo: what a read document proves, and whom it matches on record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from gangway.domain.codes.documents.aamva import parse_aamva
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.domain.codes.documents.mrz_make import make_mrz
from gangway.domain.scan.document_check import (
    NOT_REGISTERED,
    RecordHolder,
    check_document,
    document_type_of,
)
from gangway.domain.scan.identity import WatchEntry
from gangway.domain.scan.reasons import label
from gangway.domain.scan.types import PersonKind, Severity

TODAY = date(2026, 12, 7)
PASSPORT = IdentityDocument(
    format="TD3",
    document_type="P",
    issuing_state="NLD",
    document_number="XN4F7K2P1",
    family_name="DE VRIES",
    given_names="ANNA MARIA",
    nationality="NLD",
    birth_date=date(1981, 3, 14),
    sex="F",
    expiry_date=date(2030, 5, 1),
)
ZONE = make_mrz(PASSPORT)
READ = parse_mrz(ZONE, TODAY)

VISITOR = RecordHolder(
    7, PersonKind.VISITOR, "de Vries", "Anna Maria", date(1981, 3, 14), "XN4F7K2P1", "NLD", "NLD"
)
NAMESAKE = RecordHolder(8, PersonKind.CREW, "De Vries", "Anna-Maria", date(1981, 3, 14))
OTHER_STATE = replace(VISITOR, person_id=9, issuing_state="BEL", nationality="BEL")
NO_STATE = replace(VISITOR, person_id=10, issuing_state=None, nationality=None)
OTHER_NUMBER = replace(NAMESAKE, person_id=11, document_number="P0000001")
LISTED = WatchEntry(3, "banned after the theft of 2026-10-02", "De Vries", "Anna Maria")


def _zone_with(line: int, col: int, char: str) -> tuple[str, ...]:
    lines = list(ZONE)
    lines[line] = lines[line][:col] + char + lines[line][col + 1 :]
    return tuple(lines)


def test_the_made_passport_reads_valid():
    assert READ.valid
    assert READ.document_number == "XN4F7K2P1"


@pytest.mark.parametrize(
    ("zone", "code"),
    [
        pytest.param(_zone_with(1, 9, "0" if ZONE[1][9] != "0" else "1"), "mrz_check_digit",
                     id="number-check-digit"),
        pytest.param(_zone_with(1, 13, "9" if ZONE[1][13] != "9" else "8"), "mrz_check_digit",
                     id="birth-date-changed"),
        pytest.param(ZONE[:1], "mrz_bad_length", id="one-line-only"),
        pytest.param(("HELLO WORLD",), "mrz_not_found", id="not-a-zone"),
    ],
)  # fmt: skip
def test_a_document_that_does_not_read_whole_is_retaken_whatever_the_records_say(zone, code):
    check = check_document(parse_mrz(zone, TODAY), TODAY, [LISTED], [VISITOR])
    assert check.retake is not None
    assert check.retake.code == code
    assert "Re-take the photo, or check the document by hand." in check.retake.message
    assert check.person_id is None
    assert check.problem is None


@pytest.mark.parametrize(
    ("holders", "watch_list", "person_id", "confirm", "problem"),
    [
        pytest.param([VISITOR], [], 7, False, None, id="number-and-state"),
        pytest.param([NO_STATE], [], 10, False, None, id="number-record-without-state"),
        pytest.param([OTHER_STATE], [], 9, False, "document_mismatch",
                     id="same-number-other-state-same-name-is-the-record-of-another-document"),
        pytest.param([replace(OTHER_STATE, birth_date=None)], [], None, False, "not_registered",
                     id="same-number-other-state"),
        pytest.param([NAMESAKE], [], 8, True, None, id="name-and-birth-without-number-confirm"),
        pytest.param([OTHER_NUMBER], [], 11, False, "document_mismatch",
                     id="name-and-birth-another-number-on-record"),
        pytest.param([replace(NAMESAKE, birth_date=date(1981, 3, 15))], [], None, False,
                     "not_registered", id="name-but-another-birth-date"),
        pytest.param([replace(NAMESAKE, given_names="Anna")], [], None, False,
                     "not_registered", id="family-name-and-birth-only"),
        pytest.param([], [], None, False, "not_registered", id="nobody"),
        pytest.param([VISITOR, NAMESAKE], [], 7, False, None, id="number-beats-name"),
        pytest.param([VISITOR, NO_STATE], [], None, False, "document_ambiguous",
                     id="two-records-hold-the-number"),
        pytest.param([NAMESAKE, replace(NAMESAKE, person_id=12)], [], None, False,
                     "document_ambiguous", id="two-namesakes-born-the-same-day"),
        pytest.param([], [LISTED], None, False, "watch_listed", id="unregistered-but-listed"),
        pytest.param([NAMESAKE], [LISTED], None, False, "watch_listed",
                     id="listed-before-any-face-is-compared"),
        # A registered person is decided by the scan core, which checks the list on the record.
        pytest.param([VISITOR], [LISTED], 7, False, None, id="registered-left-to-the-core"),
    ],
)  # fmt: skip
def test_matching_the_records(holders, watch_list, person_id, confirm, problem):
    check = check_document(READ, TODAY, watch_list, holders)
    assert check.retake is None
    assert check.person_id == person_id
    assert check.confirm is confirm
    assert (check.problem.code if check.problem else None) == problem
    if check.problem:
        assert check.problem.severity is Severity.REFUSAL


def test_an_expired_document_is_refused_for_the_person_it_matches():
    expired = parse_mrz(make_mrz(replace(PASSPORT, expiry_date=date(2026, 12, 6))), TODAY)
    assert expired.valid  # its check digits hold: it is the date that refuses
    check = check_document(expired, TODAY, [], [VISITOR])
    assert check.problem.code == "document_expired"
    assert "2026-12-06" in check.problem.message
    assert "check the document by hand" in check.problem.message
    assert check.person_id == 7


def test_a_document_expiring_today_still_proves_identity():
    today = parse_mrz(make_mrz(replace(PASSPORT, expiry_date=TODAY)), TODAY)
    assert check_document(today, TODAY, [], [VISITOR]).problem is None


def test_not_registered_tells_the_watch_to_call_the_sso():
    assert "call the SSO to register" in NOT_REGISTERED.message


@pytest.mark.parametrize("code", ["document_expired", "not_registered", "document_ambiguous"])
def test_every_check_id_reason_reads_in_plain_words(code):
    assert "_" not in label(code)


@pytest.mark.parametrize(
    ("format_", "document_type", "code"),
    [
        ("TD3", "P", "passport"),
        ("TD3", "PD", "passport"),
        ("TD1", "ID", "national_id"),
        ("TD2", "AC", "national_id"),
        ("TD1", "S", "seafarer_id"),
        ("MRVA", "V", "other"),
        ("AAMVA", "DL", "driving_licence"),
        ("AAMVA", "ID", "national_id"),
    ],
)
def test_document_type_table(format_, document_type, code):
    document = IdentityDocument(format=format_, document_type=document_type)
    assert document_type_of(document) == code


def test_a_driving_licence_barcode_matches_by_number():
    text = (
        "@\n\x1e\rANSI 636014090002DL00410264ZC03050010DLDAQD1234562\nDCSMILLER\nDACJOHN\n"
        "DBB08081980\nDBA08082030\nDAJCA\nDCGUSA\n\r"
    )
    document = parse_aamva(text)
    assert document.valid, document.problem
    holder = RecordHolder(20, PersonKind.CONTRACTOR, "Miller", "John", None, "D1234562", "USA")
    assert check_document(document, TODAY, [], [holder]).person_id == 20
