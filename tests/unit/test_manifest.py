"""Manifest matching: boarding passes by booking reference then name, plain references, tickets."""

from __future__ import annotations

import pytest

from gangway.domain.codes import manifest as M
from gangway.domain.codes.bcbp import parse_bcbp
from gangway.domain.codes.manifest import (
    ManifestEntry,
    Via,
    is_name_match,
    match_boarding_pass,
    normalise_name,
)
from gangway.domain.scan.types import Severity

DESMARAIS = ManifestEntry(1, "Desmarais", "Luc", "ABC123", "0141234567890")
JOHN = ManifestEntry(2, "Doe", "John", "FAM001", "0142000000002")
JANE = ManifestEntry(3, "Doe", "Jane Mary", "FAM001", "0142000000003")
TOM = ManifestEntry(4, "Doe", "Tom", "FAM001", "0142000000004")
MUELLER = ManifestEntry(5, "Müller-Lüdenscheidt", "Jürgen", "MUL001")
IVANOV = ManifestEntry(6, "Иванов", "Иван", "IVA001", "5551234567890")
WANG = ManifestEntry(7, "王", "小明", "WAN001")
ANNA = ManifestEntry(8, "Smith", "Anna", "TWN001")
ANDREW = ManifestEntry(9, "Smith", "Andrew", "TWN001")
OBRIEN = ManifestEntry(10, "O'Brien", "Seán", "OBR001")
HUBERT = ManifestEntry(11, "Wolfeschlegelsteinhausenbergerdorff", "Hubert Blaine", "WOL001")
ORSTED = ManifestEntry(12, "Ørsted", "Søren", "ORS001")
CHER = ManifestEntry(13, "Cher", "", "CHR001")
MANIFEST = (
    DESMARAIS,
    *(JOHN, JANE, TOM),
    *(MUELLER, IVANOV, WANG, ANNA, ANDREW, OBRIEN, HUBERT, ORSTED, CHER),
)


def boarding_pass(name, *pnrs):
    """Encode a mandatory-items-only boarding pass with one leg per booking reference."""
    legs = "".join(f"{pnr:<7}YULFRAAC 0834 326J001A0025 100" for pnr in pnrs)
    return f"M{len(pnrs)}{name:<20}E{legs}"


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Müller-Lüdenscheidt", "mullerludenscheidt"),
        ("MULLERLUDENSCHEIDT", "mullerludenscheidt"),
        ("Mu\u0308ller", "muller"),  # decomposed input
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("Jean-Luc", "jeanluc"),
        ("Jean\u2010Luc", "jeanluc"),
        ("St. John", "stjohn"),
        ("Pujol·la", "pujolla"),  # Catalan middle dot
        ("François", "francois"),
        ("Straße", "strasse"),
        ("ＭＵＬＬＥＲ", "muller"),  # full-width letters from an Asian keyboard
        ("Иванов", "иванов"),
        ("Йозеф", "иозеф"),
        ("王 小明", "王小明"),
        ("Łukasiewicz", "łukasiewicz"),  # a letter of its own, not an accent
    ],
)
def test_names_are_normalised_without_accents_and_punctuation_in_any_script(name, normalised):
    assert normalise_name(name) == normalised


# (name on the pass, entry, matches?) for the loose comparison of truncated IATA names
NAME_RULES = [
    ("DESMARAIS/LUC", DESMARAIS, True),
    ("DESMARAIS/LUC MR", DESMARAIS, True),
    ("DESMARAIS/LUCMR", DESMARAIS, True),  # title glued to the given name
    ("DESMARAIS/L", DESMARAIS, True),  # initial only
    ("DESMARAIS", DESMARAIS, True),  # no given name on the pass
    ("DESMARAI/LUC", DESMARAIS, False),  # a short family name is not a truncated one
    ("DESMARAIS/PAUL", DESMARAIS, False),
    ("DESMARAISON/LUC", DESMARAIS, False),
    ("DOE/JANE MRS", JANE, True),  # first given name only
    ("DOE/MARY", JANE, False),
    ("WOLFESCHLEGELSTEINHA", HUBERT, True),  # 20 characters: cut inside the family name
    ("WOLFESCHLEGELSTEI/HU", HUBERT, True),  # 20 characters: airline shortened the family
    ("WOLFESCHLEGELSTEI/H", HUBERT, False),  # 19 characters: nothing was cut
    ("WOLFESCHLEGELSTEINHAUSENBERGERDORFF"[:20], HUBERT, True),
    ("MULLERLUDENSCHEIDT/J", MUELLER, True),
    ("MUELLERLUEDENSCHEI/J", MUELLER, True),  # ICAO Doc 9303 spelling of Ü, cut at 20
    ("MUELLER/JUERGEN", MUELLER, False),  # second family name missing and nothing cut
    ("OBRIEN/SEAN MR", OBRIEN, True),
    ("ORSTED/SOREN", ORSTED, True),
    ("OERSTED/SOEREN", ORSTED, True),
    ("LUKASIEWICZ/JAN", ManifestEntry(14, "Łukasiewicz", "Jan"), True),  # Ł is no accent
    ("STRASSER/GRETE", ManifestEntry(15, "Straßer", "Grete"), True),
    ("CHER", CHER, True),
    ("CHER/MS", CHER, True),
    ("IVANOV/IVAN", IVANOV, False),  # the manifest holds only the Cyrillic spelling
]


@pytest.mark.parametrize(("name", "entry", "matches"), NAME_RULES)
def test_pass_name_matches_allowing_for_iata_truncation_titles_and_spelling(name, entry, matches):
    assert is_name_match(parse_bcbp(boarding_pass(name, "ABC123")), entry) is matches


@pytest.mark.parametrize(
    ("name", "pnr", "entry"),
    [
        ("DESMARAIS/LUC", "ABC123", DESMARAIS),
        ("DOE/JOHN MR", "FAM001", JOHN),
        ("DOE/JANE MRS", "FAM001", JANE),
        ("DOE/JANEMARY", "FAM001", JANE),
        ("DOE/TOM MSTR", "FAM001", TOM),
        ("DOE/JO", "FAM001", JOHN),
        ("SMITH/ANDREW", "TWN001", ANDREW),
        ("MUELLERLUEDENSCHEI/J", "MUL001", MUELLER),
        ("OERSTED/SOEREN", "ORS001", ORSTED),
    ],
)
def test_boarding_pass_matches_the_passenger_booked_under_its_pnr_with_that_name(name, pnr, entry):
    text = boarding_pass(name, pnr)
    match = match_boarding_pass(text, MANIFEST)
    assert match.entry == entry
    assert match.problem is None
    assert match.via == Via.BCBP == "bcbp"
    assert match.boarding_pass == parse_bcbp(text)


def test_lowercase_boarding_pass_with_line_ending_still_matches():
    match = match_boarding_pass(boarding_pass("DOE/TOM MSTR", "fam001").lower() + "\r\n", MANIFEST)
    assert match.entry == TOM


def test_any_leg_of_a_connecting_pass_can_carry_the_ships_booking_reference():
    match = match_boarding_pass(boarding_pass("DOE/JANE", "AIR999", "fam001"), MANIFEST)
    assert match.entry == JANE


@pytest.mark.parametrize(
    ("name", "pnr", "code", "message"),
    [
        ("DESMARAIS/LUC", "ZZZ999", "not_on_manifest", M.NOT_ON_MANIFEST.message),
        ("ROE/RICHARD", "ABC123", "pass_name_mismatch", M.PASS_NAME_MISMATCH.message),
        ("DOE/JACK", "FAM001", "pass_name_mismatch", M.PASS_NAME_MISMATCH.message),
        ("IVANOV/IVAN", "IVA001", "pass_name_mismatch", M.PASS_NAME_MISMATCH.message),
        ("DOE/J", "FAM001", "pass_ambiguous", M.PASS_AMBIGUOUS.message),  # John or Jane
        ("SMITH/AN", "TWN001", "pass_ambiguous", M.PASS_AMBIGUOUS.message),
    ],
)
def test_boarding_pass_that_cannot_be_tied_to_one_passenger_is_refused(name, pnr, code, message):
    match = match_boarding_pass(boarding_pass(name, pnr), MANIFEST)
    assert match.entry is None
    assert (match.problem.code, match.problem.message) == (code, message)
    assert match.problem.severity is Severity.REFUSAL
    assert match.via == Via.BCBP
    assert match.boarding_pass is not None


def test_exact_given_name_wins_over_a_longer_one_it_is_a_prefix_of():
    jo = ManifestEntry(20, "Lee", "Jo", "LEE001")
    joanna = ManifestEntry(21, "Lee", "Joanna", "LEE001")
    assert match_boarding_pass(boarding_pass("LEE/JO", "LEE001"), [joanna, jo]).entry == jo
    assert (
        match_boarding_pass(boarding_pass("LEE/JOANNA MS", "LEE001"), [jo, joanna]).entry == joanna
    )
    assert match_boarding_pass(boarding_pass("LEE/J", "LEE001"), [jo, joanna]).problem.code == (
        "pass_ambiguous"
    )


def test_the_same_passenger_listed_twice_is_not_ambiguous():
    assert match_boarding_pass(boarding_pass("DESMARAIS/LUC", "ABC123"), [DESMARAIS] * 2).entry == (
        DESMARAIS
    )
    assert match_boarding_pass("ABC123", [DESMARAIS, DESMARAIS]).entry == DESMARAIS


def test_malformed_boarding_pass_is_refused_with_the_parsers_message():
    match = match_boarding_pass("M2" + boarding_pass("DESMARAIS/LUC", "ABC123")[2:], MANIFEST)
    assert match.entry is None
    assert match.problem.code == "malformed_pass"
    assert match.problem.message == "Boarding pass declares 2 legs but holds only 1."
    assert match.problem.severity is Severity.REFUSAL
    assert match.via == Via.BCBP
    assert match.boarding_pass is None


@pytest.mark.parametrize(
    ("text", "entry", "via"),
    [
        ("ABC123", DESMARAIS, "booking_reference"),
        (" abc123\r\n", DESMARAIS, "booking_reference"),
        ("IVA001", IVANOV, "booking_reference"),  # names in any script need no comparison here
        ("wan001", WANG, "booking_reference"),
        ("0141234567890", DESMARAIS, "ticket_number"),
        ("014-1234567890", DESMARAIS, "ticket_number"),
        ("014 1234567890\n", DESMARAIS, "ticket_number"),
        ("5551234567890", IVANOV, "ticket_number"),
        ("0142000000003", JANE, "ticket_number"),  # a ticket tells family members apart
    ],
)
def test_plain_booking_reference_or_ticket_number_matches_a_unique_passenger(text, entry, via):
    match = match_boarding_pass(text, MANIFEST)
    assert match.entry == entry
    assert match.problem is None
    assert match.via == via
    assert match.boarding_pass is None


@pytest.mark.parametrize("text", ["FAM001", "twn001"])
def test_booking_reference_shared_by_several_passengers_needs_a_hand_check(text):
    match = match_boarding_pass(text, MANIFEST)
    assert match.entry is None
    assert match.problem == M.PASS_AMBIGUOUS
    assert match.problem.code == "pass_ambiguous"
    assert match.via == Via.BOOKING_REFERENCE


def test_ticket_number_listed_for_two_passengers_needs_a_hand_check():
    twice = [DESMARAIS, ManifestEntry(30, "Roe", "Rick", None, "0141234567890")]
    match = match_boarding_pass("0141234567890", twice)
    assert match.entry is None
    assert match.problem.code == "pass_ambiguous"
    assert match.via == Via.TICKET_NUMBER


@pytest.mark.parametrize(
    "text", ["", "   \r\n", "hello", "ZZZ999", "GW1:AAAABBBB", "M1DESMARAIS", "01412345678"]
)
def test_text_that_is_no_known_pass_matches_nothing_and_is_left_to_the_caller(text):
    match = match_boarding_pass(text, MANIFEST)
    assert match.entry is None
    assert match.problem is None
    assert match.boarding_pass is None


def test_entries_without_references_never_match_an_empty_reference():
    bare = [ManifestEntry(40, "Roe", "Rick"), ManifestEntry(41, "Roe", "Ruth", "", "")]
    assert match_boarding_pass("", bare).entry is None
    assert match_boarding_pass(" - ", bare).entry is None
    assert match_boarding_pass(boarding_pass("ROE/RICK", " "), bare).problem.code == (
        "not_on_manifest"
    )


def test_every_manifest_reason_refuses_boarding_and_has_a_stable_code():
    assert [r.code for r in M.ALL] == [
        "malformed_pass",
        "not_on_manifest",
        "pass_name_mismatch",
        "pass_ambiguous",
    ]
    assert {r.severity for r in (*M.ALL, M.TICKET_AMBIGUOUS)} == {Severity.REFUSAL}
