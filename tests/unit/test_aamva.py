"""AAMVA driving licence and ID card barcodes: US and Canadian dates, versions, scanner forms."""

from __future__ import annotations

from datetime import date

import pytest

from gangway.domain.codes.documents.aamva import is_aamva, parse_aamva
from gangway.domain.scan.reasons import label

COMPLIANCE = "@\n\x1e\r"  # the header's compliance indicator, data element and record separators


def _card(iin: str, version: str, elements: list[str], kind: str = "DL") -> str:
    """Return a barcode's text as AAMVA annex D lays it out: header, designator, one subfile."""
    subfile = kind + "".join(f"{element}\n" for element in elements)[:-1] + "\r"
    jurisdiction = "00" if int(version) >= 2 else ""
    header_length = len(COMPLIANCE) + 5 + 6 + 2 + len(jurisdiction) + 2 + 10
    head = f"{COMPLIANCE}ANSI {iin}{version}{jurisdiction}01"
    return f"{head}{kind}{header_length:04d}{len(subfile):04d}{subfile}"


# A licence shaped like the annex D sample (Virginia): US dates MMDDCCYY.
US_ELEMENTS = [
    "DAQT64235789", "DCSSAMPLE", "DDEN", "DACMICHAEL", "DDFN", "DADJOHN", "DDGN", "DCUJR",
    "DCAD", "DBD06062019", "DBB06061986", "DBA12102024", "DBC1", "DAU068 in", "DAYBRO",
    "DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA", "DAK232690000  ",
    "DCF2424244747474786102204", "DCGUSA", "DDAF",
]  # fmt: skip
US = _card("636000", "09", US_ELEMENTS)
# An Ontario card: Canadian dates CCYYMMDD.
CANADA = _card(
    "636012",
    "08",
    ["DCAG", "DCBNONE", "DCDNONE", "DBA20290214", "DCSTREMBLAY", "DACMARIE", "DADNONE",
     "DBD20240214", "DBB19910704", "DBC2", "DAYBRN", "DAU165 cm", "DAG45 KING ST W",
     "DAITORONTO", "DAJON", "DAKM5H 1J8", "DAQT7215-64509-10704", "DCFPX1234567",
     "DCGCAN", "DDEN", "DDFN", "DDGN"],
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (US, {"document_type": "DL", "issuing_state": "USA", "issuer": "VA",
              "document_number": "T64235789", "family_name": "SAMPLE",
              "given_names": "MICHAEL JOHN", "birth_date": date(1986, 6, 6),
              "expiry_date": date(2024, 12, 10), "sex": "M"}),
        (CANADA, {"issuing_state": "CAN", "issuer": "ON", "document_number": "T7215-64509-10704",
                  "family_name": "TREMBLAY", "given_names": "MARIE",
                  "birth_date": date(1991, 7, 4), "expiry_date": date(2029, 2, 14), "sex": "F"}),
    ],
)  # fmt: skip
def test_a_us_and_a_canadian_licence_read_with_their_own_date_order(text, expected):
    read = parse_aamva(text)
    assert (read.format, read.valid, read.mrz, read.check_digits) == ("AAMVA", True, (), ())
    assert {name: getattr(read, name) for name in expected} == expected


def test_an_id_card_subfile_is_an_id():
    read = parse_aamva(_card("636000", "09", US_ELEMENTS, kind="ID"))
    assert (read.document_type, read.document_number, read.valid) == ("ID", "T64235789", True)


def test_version_one_reads_the_full_name_and_year_first_dates():
    text = _card("636010", "01", ["DAASMITH,JOHN,PAUL", "DAQS530123456789", "DBB19700131",
                                  "DBA20300131", "DAJFL", "DBCM"])  # fmt: skip
    read = parse_aamva(text)
    assert (read.family_name, read.given_names, read.birth_date, read.sex) == (
        "SMITH",
        "JOHN PAUL",
        date(1970, 1, 31),
        "M",
    )
    assert read.valid


def test_a_scanner_that_sends_control_pictures_instead_of_controls_still_reads():
    pictures = US.translate(str.maketrans({"\n": "\u240a", "\r": "\u240d", "\x1e": "\u241e"}))
    assert is_aamva(pictures)
    assert parse_aamva(pictures) == parse_aamva(US)


def test_a_name_the_card_cut_to_fit_carries_a_caution():
    read = parse_aamva(US.replace("DDEN", "DDET"))
    assert read.valid
    assert [c.code for c in read.cautions] == ["mrz_name_truncated"]


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100", "aamva_not_found", ""),
        ("", "aamva_not_found", ""),
        (US.replace("DAQT64235789\n", ""), "aamva_missing_element", "document number"),
        (US.replace("DBA12102024", "DBA"), "aamva_missing_element", "date of expiry"),
        (US.replace("DCSSAMPLE", "DCS"), "aamva_missing_element", "family name"),
        (US.replace("DBB06061986", "DBB13061986"), "aamva_bad_date", "birth"),
        (US.replace("DBA12102024", "DBA12322024"), "aamva_bad_date", "expiry"),
    ],
)
def test_a_barcode_that_is_not_a_whole_licence_is_refused_with_a_reason(text, code, words):
    read = parse_aamva(text)
    assert (read.valid, read.problem.code) == (False, code)
    assert words in read.problem.message
    assert "_" not in label(code)
    assert read.birth_date is None or code == "aamva_bad_date"


def test_a_boarding_pass_or_a_badge_is_not_taken_for_a_licence():
    assert not is_aamva("M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100")
    assert is_aamva(US)
