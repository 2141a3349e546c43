"""Properties of crew and passenger list parsing over any uploaded file.

Whatever the SSO uploads (IMO FAL Form 5 and 6 as CSV), parsing lists problems and never
crashes, and no row it accepts carries a formula or a control character into the records
(OWASP CSV injection). What the app exports reads back as the same rows.
"""

from __future__ import annotations

import string
import unicodedata
from datetime import date

import pycountry
from hypothesis import given, settings
from hypothesis import strategies as st

from gangway.domain.lists.countries import ICAO_ONLY
from gangway.domain.lists.crew_lists import CREW, PASSENGERS, export_csv, parse_list, spec_for
from gangway.domain.lists.list_columns import (
    CrewRow,
    PassengerRow,
    cell_name,
    is_formula,
    neutralise,
)

PROPERTIES = settings(max_examples=200, deadline=None, derandomize=True, database=None)
CELLS = [
    "HANSEN",
    "Erik",
    "NOR",
    "nor",
    "1984-03-25",
    "1984-02-30",
    "25.03.1984",
    "P1234567",
    "",
    " ",
    "=HYPERLINK(1)",
    " +1",
    "-AB",
    "@SUM(A1)",
    "\tx",
    '"a,b"',
    '"unclosed',
    "a\nb",
    "x\x00y",
    "王",
    ";",
    "١٢٣",
    "x" * 130,
]
cells = st.sampled_from(CELLS) | st.text(max_size=10)


@st.composite
def csv_files(draw):
    """A file that looks like a list: a true, shuffled or broken header and random cells."""
    kind = draw(st.sampled_from([CREW, PASSENGERS]))
    header = list(spec_for(kind).header)
    header = draw(st.permutations(header) | st.lists(st.sampled_from([*header, "x"]), max_size=20))
    delimiter = draw(st.sampled_from([",", ";"]))
    width = st.integers(max(len(header) - 1, 0), len(header) + 1)
    lines = draw(st.lists(width.flatmap(lambda n: st.lists(cells, min_size=n, max_size=n))))
    text = "\r\n".join(delimiter.join(row) for row in [header, *lines])
    return kind, draw(st.sampled_from([text, "\ufeff" + text, text.encode(), b"\xff" + b"x"]))


def is_safe(value: object) -> bool:
    """Tell whether a stored value is plain: no formula start and no control character."""
    if not isinstance(value, str):
        return True
    return not is_formula(value) and not any(unicodedata.category(c) == "Cc" for c in value)


@PROPERTIES
@given(csv_files() | st.tuples(st.sampled_from([CREW, PASSENGERS]), st.text() | st.binary()))
def test_any_uploaded_file_gives_rows_or_problems_never_a_crash(upload):
    kind, content = upload
    parsed = parse_list(kind, content, today=date(2026, 11, 22))
    for problem in parsed.problems + parsed.warnings:
        assert problem.line >= 0
        assert problem.message
    spec = spec_for(kind)
    for row in parsed.rows:
        assert isinstance(row, spec.row_type)
        for column in spec.columns:
            value = getattr(row, column.name)
            assert is_safe(value), (column.name, value)
            if column.required and not parsed.has_problems:  # a list with problems is refused
                assert value, column.name
            if isinstance(value, str) and column.max_length:
                assert len(value) <= column.max_length


# Names in any script, as a spreadsheet keeps them: printable, no formula start, no padding.
text = st.text(
    st.characters(categories=["L", "M", "N", "Zs"], exclude_characters="\u00a0"),
    min_size=1,
    max_size=30,
).map(str.strip)
words = text.filter(bool)
# Stored codes: ISO alpha-3 and ICAO 9303 codes (domain/countries.py)
countries = st.sampled_from(sorted({c.alpha_3 for c in pycountry.countries} | set(ICAO_ONLY)))
dates = st.dates(date(1900, 1, 1), date(2100, 12, 31))
documents = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=20)
crew_rows = st.builds(
    CrewRow, words, text, st.none() | words, countries, dates, st.none() | words,
    st.none() | st.sampled_from(["F", "M", "X"]), words, documents, st.none() | countries,
    st.none() | dates,
)  # fmt: skip
passenger_rows = st.builds(
    PassengerRow, words, text, st.none() | countries, st.none() | dates, st.none() | words,
    st.none() | st.sampled_from(["F", "M"]), st.none() | words, documents,
    st.none() | countries, st.none() | dates, st.none() | words, st.none() | words,
    documents.map(lambda d: d[:16]), st.none() | documents, st.none() | words.map(lambda w: w[:16]),
)  # fmt: skip


@PROPERTIES
@given(
    st.sampled_from([(CREW, crew_rows), (PASSENGERS, passenger_rows)]).flatmap(
        lambda k: st.tuples(st.just(k[0]), st.lists(k[1], min_size=1, max_size=5, unique_by=_doc))
    )
)
def test_an_exported_list_reads_back_as_the_same_rows(kind_rows):
    kind, rows = kind_rows
    parsed = parse_list(kind, export_csv(kind, rows))
    assert parsed.problems == ()
    assert [_without_line(r) for r in parsed.rows] == [_without_line(r) for r in rows]


@PROPERTIES
@given(st.text())
def test_a_neutralised_cell_never_runs_as_a_formula(value):
    assert not is_formula(neutralise(value))
    assert neutralise(value) in (value, "'" + value)


@PROPERTIES
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_every_cell_has_a_spreadsheet_name(index, line):
    name = cell_name(index, line)
    letters = name.rstrip(string.digits)
    assert letters.isalpha()
    assert letters.isupper()
    assert name[len(letters) :] == str(line)


def _doc(row) -> str:
    return row.document_number


def _without_line(row):
    return {name: getattr(row, name) for name in row.__slots__ if name != "line"}
