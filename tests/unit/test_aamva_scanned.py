"""A driving licence's PDF417 through a keyboard-wedge scanner: the text the watch page sends.

The scanner types the barcode's LF and CR as Enter and its RS as Ctrl+^ (or nothing);
scanner.js keeps an "@" burst together across them and watch.js sends each control character
as its Unicode control picture (an HTML input drops LF and CR; the app refuses controls).
"""

from __future__ import annotations

from datetime import date

import pytest

from gangway.domain.codes.documents.aamva import is_scanned_licence, parse_aamva
from tests.unit.test_aamva import _card

LICENCE = _card(
    "636014",
    "09",
    ["DAQD1234562", "DCSMILLER", "DACJOHN", "DADQUINCY", "DBB07041980", "DBA07042030",
     "DBC1", "DAJCA", "DCGUSA", "DAG1 MAIN ST", "DDEN", "DDFN", "DDGN"],
)  # fmt: skip
EXPECTED = {
    "format": "AAMVA", "document_type": "DL", "issuing_state": "USA", "issuer": "CA",
    "document_number": "D1234562", "family_name": "MILLER", "given_names": "JOHN QUINCY",
    "birth_date": date(1980, 7, 4), "expiry_date": date(2030, 7, 4), "sex": "M", "valid": True,
}  # fmt: skip
PICTURES = str.maketrans({code: 0x2400 + code for code in range(0x20)})  # as watch.js sends it


def pictured(text: str) -> str:
    return text.translate(PICTURES)


@pytest.mark.parametrize(
    "sent",
    [
        pictured(LICENCE),  # every control as its picture (LF, RS, CR)
        pictured(LICENCE.replace("\r", "\n")),  # CR typed as Enter, read as a line break
        pictured(LICENCE.replace("\x1e", "")),  # a scanner that sends nothing for RS
        pictured(LICENCE.replace("\x1e", "").replace("\r", "\n")),  # both
        pictured(LICENCE) + "\u240d\u240a",  # the scanner's own suffix, CR LF, after the code
        pictured(LICENCE).replace("DAG1 MAIN ST", "DAG1 MAIN ST\u2409"),  # a stray Tab
        LICENCE,  # the controls themselves (the camera's zxing, a client that passes them)
    ],
    ids=["pictures", "cr-as-lf", "no-rs", "no-rs-cr-as-lf", "suffix", "tab", "controls"],
)
def test_the_licence_text_a_scanner_types_reads_as_the_licence(sent):
    assert is_scanned_licence(sent)
    read = parse_aamva(sent)
    assert {name: getattr(read, name) for name in EXPECTED} == EXPECTED


@pytest.mark.parametrize(
    "sent",
    ["@", "@\u240a\u241e\u240d", "ANSI 636014090001DL00410278DLDAQD1234562", "M1DOE/JOHN EABC123"],
)
def test_text_that_is_not_a_whole_licence_header_is_no_licence(sent):
    assert not is_scanned_licence(sent)


def test_a_licence_cut_short_by_an_enter_does_not_read_and_says_check_by_hand():
    cut = pictured(LICENCE[: LICENCE.index("DBB")])  # the burst ended at a line break
    read = parse_aamva(cut)
    assert not read.valid
    assert "check the card by hand" in read.problem.message
