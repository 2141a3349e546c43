"""The report's refusals: each one listed with its follow-up, in plain words, on the page and in the
PDF (the CSV zip had them alone before); no reason or level-source code is ever printed."""

from __future__ import annotations

import re

import pytest

from gangway.background import snapshot_job
from gangway.extensions import db
from gangway.services.ship.port_calls import close_port_call
from tests.conftest import NOW
from tests.integration.report_fixtures import add_awkward_call
from tests.support.pdf_checks import pdf_text

URL = "/reports/port-calls/1"
CODES = ("unknown_code", "search_declined", "escort_declined", "port_state")


@pytest.fixture
def awkward(app):
    with app.app_context():
        return add_awkward_call(db.session)


def article(html: str) -> str:
    """Return the report itself, without the app's navigation and alerts around it."""
    return html.split('<article class="report"', 1)[1].split("</article>", 1)[0]


def refusal_rows(html: str) -> list[str]:
    """Return the text of each refusal row of the page, tags removed."""
    section = html.split('id="reports-refusals"', 1)[1].split("</section>", 1)[0]
    rows = section.split('data-testid="report-refusal"')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_the_html_report_lists_each_refusal_with_its_reason_and_follow_up(auth, client, awkward):
    auth.login("sso")
    html = article(client.get(URL).get_data(as_text=True))
    unknown, expired, declined = refusal_rows(html)
    assert "Refusals and their follow-up (3)" in html
    assert "Not identified" in unknown
    assert "Not a badge of this ship" in unknown
    assert "Not acknowledged yet" in unknown
    assert "ZOË-ÅSTRÖM, Ærø" in expired
    assert "Boarding at Aft ladder, badge scanned" in expired
    assert "Badge expired" in expired
    assert "Acknowledged" in expired
    assert "by Test sso" in expired
    assert "Response: Sent ashore to renew the badge at the office" in expired
    assert "Where on board: Main deck, gangway" in expired
    assert "Reported to the authorities (Zeehavenpolitie)" in expired
    assert "Declined to be searched Declined to wait for an escort" in declined
    assert "Response: 拒绝搜查，已离开 (left the quay)" in declined
    assert "Reported to the CSO" in declined


def test_refusal_times_are_given_in_utc_and_port_local_time(auth, client, awkward):
    auth.login("sso")
    html = client.get(URL).get_data(as_text=True)
    first = refusal_rows(html)[0]
    times = r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?::\d{2} UTC| local)"
    utc, local = re.findall(times, first)
    assert utc != local  # Amsterdam is UTC+1 or +2
    assert "Times in UTC and in the port&#39;s local time (Europe/Amsterdam)." in html


def test_reasons_and_level_sources_read_as_plain_words_in_html_and_pdf(
    auth, client, awkward, tmp_path
):
    auth.login("sso")
    html = article(client.get(URL).get_data(as_text=True))
    text = " ".join(pdf_text(client.get(URL + ".pdf").data, tmp_path).split())
    for form in (html, text):
        assert "Port state (contracting government)" in form
        assert "Not a badge of this ship" in form
        assert "Declined to wait for an escort" in form
        for code in CODES:
            assert code not in form


def test_the_pdf_lists_each_refusal_with_its_follow_up(auth, client, awkward, tmp_path):
    auth.login("master")
    text = " ".join(pdf_text(client.get(URL + ".pdf").data, tmp_path).split())
    assert "Refusals and their follow-up (3)" in text
    assert "Not acknowledged yet" in text
    assert "Response: Sent ashore to renew the badge at the office" in text
    assert "Reported to the authorities (Zeehavenpolitie)" in text
    assert "by Test sso" in text


def test_the_copy_stored_at_close_lists_the_refusals_in_plain_words(app, awkward):
    with app.app_context():
        close_port_call(
            db.session,
            1,
            departed_at=NOW,
            now=NOW,
            confirm_aboard=True,
        )
    stored = next((snapshot_job.reports_dir(app)).rglob("*.html")).read_text(encoding="utf-8")
    assert len(refusal_rows(stored)) == 3
    assert "Not a badge of this ship" in stored
    assert "Sent ashore to renew the badge at the office" in stored
    for code in CODES:
        assert code not in article(stored)


def test_a_call_without_refusals_says_so(auth, client):
    auth.login("sso")
    html = client.get(URL).get_data(as_text=True)
    assert "Refusals and their follow-up (0)" in html
    assert "No refusal during this port call." in html
