"""IATA Resolution 792 boarding passes: the guide's examples, scanner noise and strict sizes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.codes.bcbp import (
    BcbpLeg,
    BcbpPass,
    InvalidBoardingPass,
    is_bcbp,
    parse_bcbp,
    resolve_julian_date,
)

# BCBP Implementation Guide examples, each conditional size checked by hand against its data.
GUIDE_MANDATORY = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
GUIDE_V6_CONDITIONAL = (
    ">6181WW6225BAC 00141234560032A0141234567890 1AC AC 1234567890123    20KYLX58Z"
)
GUIDE_V6 = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 14D" + GUIDE_V6_CONDITIONAL
LEG1_CONDITIONAL = (
    ">5321WW1325BAC 0014123456002001412346700100141234789012A0141234567890 1AC AC "
    "1234567890123    4PCYLX58Z"
)
LEG2_CONDITIONAL = "2A0141234567890 1AC AC 1234567890123    3PCNWQ"
SECURITY = (
    "GIWVC5EH7JNT684FVNJ91W2QA4DVN5J8K4F0L0GEQ3DF5TGBN8709HKT5D3DW3GBHFCVHMY7J5T6HFR41W2QA4DVN5"
    "J8K4F0L0GE"
)
GUIDE_TWO_LEGS = (
    "M2DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J003A0027 167"
    + LEG1_CONDITIONAL
    + "DEF456 FRAGVALH 3664 327C012C0002 12E"
    + LEG2_CONDITIONAL
    + "^164"
    + SECURITY
)


def leg(
    pnr="ABC123",
    route="YULFRA",
    carrier="AC",
    flight="0834",
    day="326",
    seat="J001A",
    sequence="0025",
    status="1",
    conditional="",
):
    """Encode one leg: fixed-width items padded with spaces, then the sized conditional data."""
    fixed = f"{pnr:<7}{route}{carrier:<3}{flight:<5}{day:<3}{seat}{sequence:<5}{status}"
    return f"{fixed}{len(conditional):02X}{conditional}"


def encode(name="DESMARAIS/LUC", *legs, ticket="E", security=""):
    """Encode a boarding pass the way an airline's check-in system prints it."""
    legs = legs or (leg(),)
    return f"M{len(legs)}{name:<20}{ticket}{''.join(legs)}{security}"


def test_the_encoder_used_below_reproduces_the_guide_examples_exactly():
    assert encode() == GUIDE_MANDATORY
    assert encode("DESMARAIS/LUC", leg(conditional=GUIDE_V6_CONDITIONAL)) == GUIDE_V6
    assert (
        encode(
            "DESMARAIS/LUC",
            leg(seat="J003A", sequence="0027", conditional=LEG1_CONDITIONAL),
            leg("DEF456", "FRAGVA", "LH", "3664", "327", "C012C", "0002", "1", LEG2_CONDITIONAL),
            security="^164" + SECURITY,
        )
        == GUIDE_TWO_LEGS
    )


def test_guide_mandatory_items_example_reads_every_item():
    assert parse_bcbp(GUIDE_MANDATORY) == BcbpPass(
        format_code="M",
        legs_count=1,
        passenger_name="DESMARAIS/LUC",
        family_name="DESMARAIS",
        given_names="LUC",
        electronic_ticket=True,
        legs=(
            BcbpLeg(
                pnr="ABC123",
                from_airport="YUL",
                to_airport="FRA",
                carrier="AC",
                flight_number="0834",
                julian_date=326,
                compartment="J",
                seat="001A",
                check_in_sequence="0025",
                passenger_status="1",
                conditional="",
            ),
        ),
    )


def test_guide_version_6_example_keeps_its_conditional_data_and_version():
    boarding_pass = parse_bcbp(GUIDE_V6)
    assert boarding_pass.version == 6
    assert boarding_pass.legs[0].conditional == GUIDE_V6_CONDITIONAL
    assert boarding_pass.legs[0].pnr == "ABC123"
    assert boarding_pass.security_data is None


def test_guide_two_leg_example_reads_both_legs_and_the_security_data():
    boarding_pass = parse_bcbp(GUIDE_TWO_LEGS)
    assert boarding_pass.legs_count == 2
    assert [(each.pnr, each.from_airport, each.to_airport) for each in boarding_pass.legs] == [
        ("ABC123", "YUL", "FRA"),
        ("DEF456", "FRA", "GVA"),
    ]
    second = boarding_pass.legs[1]
    assert (second.carrier, second.flight_number, second.julian_date) == ("LH", "3664", 327)
    assert (second.compartment, second.seat, second.check_in_sequence) == ("C", "012C", "0002")
    assert [each.conditional for each in boarding_pass.legs] == [LEG1_CONDITIONAL, LEG2_CONDITIONAL]
    assert boarding_pass.version == 5
    assert boarding_pass.security_type == "1"
    assert boarding_pass.security_data == SECURITY


NAMES = [
    ("DESMARAIS/LUC", "DESMARAIS", "LUC"),
    ("DOE/JOHN MR", "DOE", "JOHN"),
    ("DOE/JANE MRS", "DOE", "JANE"),
    ("DOE/JANE MS", "DOE", "JANE"),
    ("DOE/JANE MISS", "DOE", "JANE"),
    ("DOE/TOM MSTR", "DOE", "TOM"),
    ("DOE/JANE DR", "DOE", "JANE"),
    ("DOE/JOHN PAUL MR", "DOE", "JOHN PAUL"),
    ("DOE/MR", "DOE", ""),
    ("DOE/JOHNMR", "DOE", "JOHNMR"),  # a glued title is left to the name matcher
    ("VAN DER BERG/JAN", "VAN DER BERG", "JAN"),
    ("O'BRIEN/SEAN", "O'BRIEN", "SEAN"),
    ("CHER", "CHER", ""),
    ("MUELLERLUEDENSCHEI/J", "MUELLERLUEDENSCHEI", "J"),
    ("DESMARAIS/LUCIENNE M", "DESMARAIS", "LUCIENNE M"),  # "MRS" cut to "M" is no title
    ("WOLFESCHLEGELSTEINHA", "WOLFESCHLEGELSTEINHA", ""),
]


@pytest.mark.parametrize(("name", "family", "given"), NAMES)
def test_passenger_name_splits_into_family_and_given_names_without_title(name, family, given):
    boarding_pass = parse_bcbp(encode(name))
    assert boarding_pass.passenger_name == name
    assert (boarding_pass.family_name, boarding_pass.given_names) == (family, given)


@pytest.mark.parametrize(
    ("name", "truncated"),
    [("DESMARAIS/LUC", False), ("DESMARAIS/LUCIENNE M", True), ("WOLFESCHLEGELSTEINHA", True)],
)
def test_a_name_is_possibly_truncated_only_when_it_fills_20_characters(name, truncated):
    assert parse_bcbp(encode(name)).is_name_truncated is truncated


@pytest.mark.parametrize("text", [GUIDE_MANDATORY, GUIDE_V6, GUIDE_TWO_LEGS])
@pytest.mark.parametrize(
    "noise",
    [
        str.lower,
        str.swapcase,
        lambda t: t + "\r\n",
        lambda t: t + "\n",
        lambda t: t + "\r",
        lambda t: t + "  \t",
        lambda t: "  " + t.lower() + " \r\n",
    ],
    ids=["lower", "caps-lock", "crlf", "lf", "cr", "spaces", "all"],
)
def test_scanner_case_changes_and_line_endings_do_not_change_the_reading(text, noise):
    assert parse_bcbp(noise(text)) == parse_bcbp(text)


def test_caps_lock_inversion_restores_mixed_case_airline_and_security_data_exactly():
    text = encode("DOE/JANE", leg(conditional="aBc"), security="^104xY1z")
    boarding_pass = parse_bcbp(text.swapcase())
    assert boarding_pass.legs[0].conditional == "aBc"
    assert boarding_pass.security_data == "xY1z"


def test_trailing_spaces_inside_the_declared_data_are_data_not_scanner_noise():
    boarding_pass = parse_bcbp(encode("DOE/JANE", leg(conditional="AB  ")) + "\r\n")
    assert boarding_pass.legs[0].conditional == "AB  "


@pytest.mark.parametrize(
    ("change", "attribute", "value"),
    [
        ({"day": "   "}, "julian_date", None),
        ({"day": "001"}, "julian_date", 1),
        ({"day": "366"}, "julian_date", 366),
        ({"flight": "0012A"}, "flight_number", "0012A"),
        ({"flight": "12"}, "flight_number", "12"),
        ({"sequence": "   "}, "check_in_sequence", ""),
        ({"pnr": "Z9X8W7V"}, "pnr", "Z9X8W7V"),
        ({"carrier": "U2"}, "carrier", "U2"),
    ],
)
def test_leg_items_are_kept_as_printed_without_padding(change, attribute, value):
    assert getattr(parse_bcbp(encode("DOE/JANE", leg(**change))).legs[0], attribute) == value


@pytest.mark.parametrize(("indicator", "electronic"), [("E", True), ("L", False), (" ", False)])
def test_only_indicator_e_marks_an_electronic_ticket(indicator, electronic):
    assert parse_bcbp(encode(ticket=indicator)).electronic_ticket is electronic


def test_four_legs_parse_and_a_pass_without_version_section_has_no_version():
    legs = [leg(pnr=f"PNR{n}", conditional="X" * n) for n in range(4)]
    boarding_pass = parse_bcbp(encode("DOE/JANE", *legs))
    assert [each.pnr for each in boarding_pass.legs] == ["PNR0", "PNR1", "PNR2", "PNR3"]
    assert [each.conditional for each in boarding_pass.legs] == ["", "X", "XX", "XXX"]
    assert boarding_pass.version is None


MALFORMED = [
    ("", "cut short in the format code"),
    ("M", "cut short in the number of legs"),
    ("M1DESMARAIS", "cut short in the passenger name"),
    (GUIDE_MANDATORY[:32], "cut short in the departure airport of leg 1"),
    (GUIDE_MANDATORY[:40], "cut short in the flight number of leg 1"),
    (GUIDE_MANDATORY[:-1], "cut short in the size of the conditional data of leg 1"),
    ("X" + GUIDE_MANDATORY[1:], "format code is not 'M'"),
    ("S" + GUIDE_MANDATORY[1:], "format code is not 'M'"),
    ("M0" + GUIDE_MANDATORY[2:], "number of legs ('0') is not 1 to 4"),
    ("M5" + GUIDE_MANDATORY[2:], "number of legs ('5') is not 1 to 4"),
    ("MX" + GUIDE_MANDATORY[2:], "number of legs ('X') is not 1 to 4"),
    ("M\u0661" + GUIDE_MANDATORY[2:], "unreadable character (U+0661) in the number of legs"),
    ("M2" + GUIDE_MANDATORY[2:], "declares 2 legs but holds only 1"),
    ("M2" + GUIDE_MANDATORY[2:] + "\r\n", "declares 2 legs but holds only 1"),
    ("M3" + GUIDE_TWO_LEGS[2:], "declares 3 legs but holds only 2"),
    ("M1" + GUIDE_TWO_LEGS[2:], "data after its last leg"),
    (GUIDE_MANDATORY + "DEF456 FRAGVALH", "data after its last leg"),
    ("M1" + " " * 20 + GUIDE_MANDATORY[22:], "no passenger name"),
    ("M1DESMARAIS/LUC\x00      " + GUIDE_MANDATORY[22:], "(U+0000) in the passenger name"),
    ("M1DESMARAIS/LÜC       " + GUIDE_MANDATORY[22:], "(U+00DC) in the passenger name"),
    (GUIDE_MANDATORY[:25] + "\n" + GUIDE_MANDATORY[26:], "(U+000A) in the booking reference"),
    (GUIDE_MANDATORY[:-2] + "0G", "conditional data of leg 1 ('0G') is not a hexadecimal"),
    (GUIDE_MANDATORY[:-2] + " 1X", "conditional data of leg 1 (' 1') is not a hexadecimal"),
    (GUIDE_MANDATORY[:-2] + "+1X", "conditional data of leg 1 ('+1') is not a hexadecimal"),
    (GUIDE_MANDATORY[:-2] + "05AB", "declares 5 characters of conditional data of leg 1 but"),
    (GUIDE_V6[:-1], "declares 77 characters of conditional data of leg 1 but only 76"),
    (GUIDE_V6[:-1] + "\x7f", "(U+007F) in the conditional data of leg 1"),
    (encode("A/B", leg(conditional=">6FF1WW")), "255 characters of unique conditional data"),
    (encode("A/B", leg(conditional=">6")), "cut short in the size of the unique conditional"),
    (encode("A/B", leg(conditional=">618")), "24 characters of unique conditional"),
    (encode("A/B", leg(conditional=">X00")), "version ('X') is not a digit"),
    (encode("A/B", leg(conditional=">6G0")), "('G0') is not a hexadecimal"),
    (encode("A/B", leg(day="32A")), "flight date of leg 1 ('32A') is not a day of the year"),
    (encode("A/B", leg(day="000")), "('000') is not a day of the year"),
    (encode("A/B", leg(day="367")), "('367') is not a day of the year"),
    (encode("A/B", leg(day=" 12")), "('12') is not a day of the year"),
    (GUIDE_TWO_LEGS[:-1], "declares 100 characters of security data but only 99 follow"),
    (
        GUIDE_TWO_LEGS[:-102] + "ZZ" + SECURITY,
        "size of the security data ('ZZ') is not a hexadecimal",
    ),
    (GUIDE_TWO_LEGS + "X", "data after its security data"),
    (GUIDE_MANDATORY + "^1", "cut short in the size of the security data"),
    (GUIDE_MANDATORY + "^", "cut short in the security data type"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_pass_is_refused_with_a_message_saying_where(text, message):
    with pytest.raises(InvalidBoardingPass, match=re.escape(message)):
        parse_bcbp(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GUIDE_MANDATORY, True),
        (GUIDE_TWO_LEGS, True),
        (GUIDE_MANDATORY.lower(), True),
        (GUIDE_MANDATORY + "\r\n", True),
        (" " + GUIDE_MANDATORY, True),
        (GUIDE_MANDATORY[:-1], False),  # 59 characters
        ("M5" + GUIDE_MANDATORY[2:], False),
        ("X1" + GUIDE_MANDATORY[2:], False),
        ("ABC123", False),
        ("0141234567890", False),
        ("GW1:" + "A" * 100, False),
        ("", False),
    ],
)
def test_a_boarding_pass_is_recognised_by_its_format_code_leg_count_and_length(text, expected):
    assert is_bcbp(text) is expected


def read_or_refuse(text):
    """Return the pass or the refusal message; any other exception fails the test."""
    try:
        return parse_bcbp(text)
    except InvalidBoardingPass as exc:
        return str(exc)


def is_read_or_refused(outcome):
    return isinstance(outcome, BcbpPass) or outcome.startswith(("Boarding pass", "Not an IATA"))


BCBP_LIKE = st.text(st.sampled_from("M1234 09AFGZ>^/\r\n\x00\u00e9\u0661"), max_size=400)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400) | BCBP_LIKE | BCBP_LIKE.map(lambda t: "M1" + t))
def test_arbitrary_text_is_read_or_refused_but_never_crashes(text):
    assert is_read_or_refused(read_or_refuse(text))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([GUIDE_MANDATORY, GUIDE_V6, GUIDE_TWO_LEGS]),
    st.lists(st.tuples(st.integers(0, 400), st.characters(codec="ascii")), max_size=3),
    st.integers(0, 400),
)
def test_edited_or_cut_passes_are_read_or_refused_but_never_crash(text, edits, length):
    for position, character in edits:
        text = text[:position] + character + text[position + 1 :]
    assert is_read_or_refused(read_or_refuse(text[:length]))


PRINTABLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
NO_MARKER = st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=">")


def item(size):
    """Return a strategy for a fixed-width item as printed: stripped, inner spaces allowed."""
    return st.text(PRINTABLE | st.just(" "), max_size=size).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ/ "), min_size=1, max_size=20).filter(
        str.strip
    ),
    st.lists(
        st.tuples(item(7), item(3), st.integers(1, 366), item(4), st.text(NO_MARKER, max_size=255)),
        min_size=1,
        max_size=4,
    ),
)
def test_any_well_formed_pass_reads_back_what_was_encoded(name, legs):
    encoded = [
        leg(pnr, f"{airport:<3}ZRH", day=f"{day:03}", seat=f"Y{seat:<4}", conditional=data)
        for pnr, airport, day, seat, data in legs
    ]
    boarding_pass = parse_bcbp(encode(name, *encoded))
    assert boarding_pass.passenger_name == name.strip()
    assert [
        (each.pnr, each.from_airport, each.julian_date, each.seat, each.conditional)
        for each in boarding_pass.legs
    ] == [(pnr, airport, day, seat, data) for pnr, airport, day, seat, data in legs]


@pytest.mark.parametrize(
    ("julian_date", "today", "expected"),
    [
        (326, date(2026, 11, 20), date(2026, 11, 22)),
        (2, date(2026, 12, 30), date(2027, 1, 2)),  # a pass for next week, next year
        (365, date(2027, 1, 2), date(2026, 12, 31)),  # last week's pass, last year
        (366, date(2028, 6, 1), date(2028, 12, 31)),
        (366, date(2026, 6, 1), None),  # no leap year within a year either side
        (0, date(2026, 6, 1), None),
        (367, date(2026, 6, 1), None),
        (366, date.max, None),  # no year 10000 to try
        (1, date.max, date(9999, 1, 1)),
        (1, date.min, date(1, 1, 1)),
    ],
)
def test_julian_date_resolves_to_the_nearest_date_on_that_day_of_the_year(
    julian_date, today, expected
):
    assert resolve_julian_date(julian_date, today) == expected
