"""The reader's clean-up of what the OCR model read: fixes a zone's rules allow, nothing else."""

from __future__ import annotations

from datetime import date

import numpy as np

from gangway.domain.codes.documents.document import name_unsure
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.imaging import documents
from gangway.imaging.documents import as_letters, clean
from gangway.imaging.ppocr import _decode, _unmerge

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def test_digits_in_codes_and_names_are_read_as_the_letters_they_resemble():
    misread = [
        "P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
        "L898902C36UT07408122F1204159ZE184226B<<<<<10",
    ]
    assert as_letters(misread) == TD3


def test_a_letter_in_the_names_padding_is_a_chevron_but_a_number_field_is_left_alone():
    misread = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<K<<<<<<<<<<K", TD3[1].replace("L898", "1898")]
    fixed = as_letters(misread)
    assert fixed[0] == TD3[0]
    assert fixed[1].startswith("1898")  # the number's check digit, not a guess, must catch it


def test_spaces_case_and_guillemets_are_cleaned_to_the_zone_alphabet():
    assert clean("p<uto eriksson«anna‹maria") == "P<UTOERIKSSON<<ANNA<MARIA"


def _steps(centres: list[float], runs: dict[int, int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return (text, run starts, best class per step) for characters centred at `centres`."""
    best = np.zeros(int(max(centres)) + 8, dtype=np.int64)
    starts = []
    for i, centre in enumerate(centres):
        width = runs.get(i, 1)
        start = int(centre - width // 2)
        best[start : start + width] = 7 if i % 2 else 9  # any non-blank classes, alternating
        starts.append(start)
    return [], np.array(starts), best


def test_a_filler_run_together_with_its_neighbour_is_read_as_two_but_a_dropped_letter_is_not():
    pitch = 5.0
    # "ANNA<<<<<<<<" with the 4th and 5th fillers merged: one "<" half a pitch off the grid.
    grid = [i * pitch for i in range(12)]
    merged = [*grid[:8], (grid[8] + grid[9]) / 2, *grid[10:]]
    text = list("ANNA<<<<<<<")
    _, starts, best = _steps(merged, {})
    assert "".join(_unmerge(text, starts, best)) == "ANNA<<<<<<<<"
    # A letter dropped beside a filler leaves one gap of 2 pitches: nothing is made up.
    dropped = [*grid[:5], *grid[6:]]
    _, starts, best = _steps(dropped, {})
    assert "".join(_unmerge(list("ANNA<<<<<<<"), starts, best)) == "ANNA<<<<<<<"


def test_a_k_with_a_close_chevron_second_is_a_chevron_and_a_sure_k_stays_a_k():
    characters = ["<", "K", "A"]  # classes 1-3; class 0 is the blank

    def step(**p: float) -> list[float]:
        row = [p.get("blank", 0.0), p.get("lt", 0.0), p.get("k", 0.0), p.get("a", 0.0)]
        return row

    scores = np.array(
        [step(k=0.95), step(blank=1), step(a=0.9), step(blank=1), step(k=0.5, lt=0.35)]
        + [step(blank=1), step(lt=0.9)] * 6
    )
    assert _decode(scores, characters)[0] == "KA<<<<<<<"


def test_a_name_is_answered_only_when_its_line_reads_the_same_twice(monkeypatch):
    card = [
        "I<UTOHPWU43UTY2<<<<<<<<<<<<<<<",
        "5209222F2709190UTO<<<<<<<<<<<6",
        "MUELLER<<ANNAKMARIA<<<<<<<<<<<",
    ]
    second = {}
    monkeypatch.setitem(documents.AGAIN, "ppocr", lambda lines: [second["text"]])
    # A filler lost from the padding, or a digit for a letter, is the same name...
    for same in ("MUELLER<<ANNAKMARIA<<<<<<<<<<", "MUELLER<<ANNAKMAR1A<<<<<<<<<<<"):
        second["text"] = same
        assert documents.name_reads_again(card, [None, None, None], "ppocr")
    # ...a chevron read as K once, or a break between names lost, is not.
    for other in ("MUELLER<<ANNA<MARIA<<<<<<<<<<<", "MUELLER<ANNAKMARIA<<<<<<<<<<<<"):
        second["text"] = other
        assert not documents.name_reads_again(card, [None, None, None], "ppocr")


def test_a_document_whose_name_read_two_ways_is_not_valid_though_its_digits_hold():
    read = parse_mrz(TD3, date(2026, 12, 7))
    assert read.valid
    refused = name_unsure(read)
    assert not refused.valid
    assert all(check.valid for check in refused.check_digits)
    assert "did not read the same twice" in refused.as_json()["message"]
    assert refused.as_json()["reason"] == "mrz_name_unsure"
