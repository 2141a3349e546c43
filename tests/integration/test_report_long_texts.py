"""Long texts break nothing: the longest purpose (200) or company (120) a record holds, a code
typed as a purpose and names in other scripts wrap in the report's PDF, its page and its CSVs,
and in the muster PDF."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import Movement, Person
from gangway.extensions import db
from tests.conftest import NOW
from tests.integration.report_fixtures import (
    CJK_COMPANY,
    CODE_PURPOSE,
    LONG_COMPANY,
    LONG_PURPOSE,
    add_awkward_call,
)
from tests.support.pdf_checks import outside, overlapping, pdf_text, rectangles, words

URL = "/reports/port-calls/1"
LOG_HEADINGS = ("Time", "Dir.", "Kind", "Name", "Purpose", "Access", "Method", "Srch/Esc")


@pytest.fixture
def awkward(app):
    with app.app_context():
        return add_awkward_call(db.session)


def squeezed(text: str) -> str:
    """Return the text without any whitespace: wrapped lines joined again."""
    return re.sub(r"\s+", "", text)


def test_the_report_pdf_prints_long_texts_whole_and_draws_no_text_over_another(
    auth, client, awkward, tmp_path
):
    auth.login("sso")
    pdf = client.get(URL + ".pdf").data
    raw = squeezed(pdf_text(pdf, tmp_path, "-raw"))
    assert squeezed(CODE_PURPOSE) in raw  # cut into lines, never shortened
    assert squeezed(LONG_PURPOSE) in raw
    assert squeezed(LONG_COMPANY) in raw
    found, pages = words(pdf, tmp_path)
    assert overlapping(found) == []
    assert outside(found, pages) == []


def test_each_movement_log_cell_stays_inside_its_column(auth, client, awkward, tmp_path):
    auth.login("sso")
    found, _ = words(client.get(URL + ".pdf").data, tmp_path)
    log_page = max(w.page for w in found if w.text == "Srch/Esc")
    on_page = [w for w in found if w.page == log_page]
    heading_y = next(w.y0 for w in on_page if w.text == "Srch/Esc")
    edges = [next(w.x0 for w in on_page if w.text == h and w.y0 == heading_y) for h in LOG_HEADINGS]
    footer_y = next(w.y0 for w in on_page if w.text == "Page")  # page number, chain head
    crossing = []
    for word in on_page:
        if word.y0 <= heading_y or word.y0 >= footer_y - 1:
            continue
        column = max(i for i, edge in enumerate(edges) if word.x0 >= edge - 0.5)
        if column + 1 < len(edges) and word.x1 > edges[column + 1]:
            crossing.append(word)
    assert crossing == []
    rows = [w for w in on_page if heading_y < w.y0 < footer_y - 1 and w.x0 < edges[1]]
    assert len(rows) >= 12  # 6 movements: time and date each; the code purpose made lines


def test_no_pdf_heading_breaks_inside_a_word(auth, client, awkward, tmp_path):
    auth.login("sso")
    text = pdf_text(client.get(URL + ".pdf").data, tmp_path)
    lines = {line.strip() for line in text.splitlines()}
    for heading in ("Visitors", "Boardings", "Departures", "Refusals", "Follow-up"):
        assert heading in lines
    for piece in ("Visi", "tor", "Boardin", "Refusa"):
        assert piece not in lines


def test_the_html_report_holds_long_texts_whole(auth, client, awkward):
    auth.login("sso")
    html = client.get(URL).get_data(as_text=True)
    assert CODE_PURPOSE in html
    assert LONG_PURPOSE in html
    assert CJK_COMPANY in html


def test_the_csv_files_keep_long_texts_whole(app, auth, client, awkward):
    auth.login("sso")
    archive = zipfile.ZipFile(io.BytesIO(client.get(URL + ".csv.zip").data))

    def rows(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode())))

    assert {CODE_PURPOSE, LONG_PURPOSE} <= {r["purpose"] for r in rows("movements.csv")}
    assert LONG_PURPOSE in {r["purpose"] for r in rows("refusals.csv")}
    assert LONG_COMPANY in {r["port_party"] for r in rows("declarations.csv")}
    lines = csv.reader(io.StringIO(archive.read("movements.csv").decode()))
    assert all(len(r) == 11 for r in lines)


@pytest.fixture
def aboard(app, make_user):
    """Put two visitors and a crew member aboard: one with a 120-character company name."""
    watch = make_user("watch", "muster-watch")
    with app.app_context():
        people = [
            Person(kind="visitor", family_name="ZOË", given_names="Ærø", company=LONG_COMPANY),
            Person(kind="contractor", family_name="王", given_names="小明", company=CJK_COMPANY),
            Person(kind="crew", family_name="HANSEN", given_names="Erik", rank="Able seaman"),
        ]
        db.session.add_all(people)
        db.session.flush()
        for minutes, person in enumerate(people):
            move = Movement(person_id=person.id, direction="board", method="scan",
                            occurred_at=NOW - timedelta(hours=2, minutes=minutes),
                            access_point_id=1, port_call_id=1, recorded_by_id=watch.id)  # fmt: skip
            db.session.add(move)
            db.session.flush()
            person.aboard_movement_id = move.id
        db.session.commit()
    return NOW - timedelta(hours=2)


def test_the_muster_pdf_has_full_times_whole_companies_and_a_box_per_person(
    auth, client, aboard, tmp_path
):
    auth.login("sso")
    pdf = client.get("/sso/muster.pdf").data
    text = pdf_text(pdf, tmp_path, "-layout")
    assert "Present" in text
    assert f"{aboard:%Y-%m-%d %H:%M}" in text
    assert len(re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?!\S)", text)) == 4  # 3 rows + "Taken at"
    assert "…" not in text
    raw = squeezed(pdf_text(pdf, tmp_path, "-raw"))
    assert squeezed(LONG_COMPANY) in raw
    assert squeezed(CJK_COMPANY) in raw
    found, pages = words(pdf, tmp_path)
    assert overlapping(found) == []
    assert outside(found, pages) == []
    boxes = [r for r in rectangles(pdf) if abs(r[2] - r[3]) < 0.1 and 10 < r[2] < 13]
    assert len(boxes) == 3  # one empty square a person, to tick at the muster station


def test_the_muster_list_spreads_over_pages_with_its_headings_on_each(
    app, auth, client, aboard, tmp_path
):
    with app.app_context():
        watch_id = db.session.scalars(select(Movement.recorded_by_id)).first()
        for i in range(70):
            person = Person(kind="crew", family_name=f"CREW{i:02}", given_names="A")
            db.session.add(person)
            db.session.flush()
            move = Movement(person_id=person.id, direction="board", method="scan", occurred_at=NOW,
                            access_point_id=1, port_call_id=1, recorded_by_id=watch_id)  # fmt: skip
            db.session.add(move)
            db.session.flush()
            person.aboard_movement_id = move.id
        db.session.commit()
    auth.login("sso")
    pdf = client.get("/sso/muster.pdf").data
    pages = pdf_text(pdf, tmp_path, "-layout").split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Present" in page
        assert "Boarded (UTC)" in page
        assert f"Page {number}" in page
    assert len(rectangles(pdf)) >= 73
