"""Every reason code people may read has plain words (pages, reports, PDFs never show a code)."""

from __future__ import annotations

import pytest

from gangway.domain.codes import manifest
from gangway.domain.codes.documents import aamva, document, mrz
from gangway.domain.scan import identity, levels, pass_validity, reasons
from gangway.domain.scan.types import Reason


def _catalogued_codes() -> set[str]:
    found = set()
    for module in (reasons, levels, identity, manifest, pass_validity, document, mrz, aamva):
        found |= {v.code for v in vars(module).values() if isinstance(v, Reason)}
    return found


@pytest.mark.parametrize("code", sorted(_catalogued_codes()))
def test_every_catalogued_reason_code_has_a_plain_label(code):
    assert code in reasons.LABELS
    assert "_" not in reasons.label(code)


def test_an_unknown_code_reads_as_words_not_as_a_code():
    assert reasons.label("some_new_code") == "Some new code"


def test_no_code_gives_an_empty_label():
    assert reasons.label(None) == ""
