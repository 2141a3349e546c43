"""A pilot comes up the gangway without a QR code: the watch checks the ID by hand."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gangway.extensions import db
from gangway.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture
def pilot(live_server) -> int:
    """A registered pilot with their authority ID card on record, and no badge."""
    with live_server.app.app_context():
        person = Person(
            kind="authority",
            family_name="DE JONG",
            given_names="Maarten",
            company="Loodswezen",
            authority_role="pilot",
            document_number="NL-PIL-4711",
            purpose="Pilot",
        )
        db.session.add(person)
        db.session.commit()
        return person.id


def test_watch_checks_a_pilot_by_hand_and_the_counter_counts_them(watch, pilot):
    onboard_total = watch.locator("#watch-onboard-count [data-testid=onboard-total]")
    expect(onboard_total).to_have_text("0")

    watch.get_by_role("link", name="Check ID by hand").click()
    search = watch.get_by_role("searchbox")
    expect(search).to_be_focused()
    search.press_sequentially("jong")
    hit = watch.locator("#manual-results").get_by_role("link", name=re.compile("DE JONG, Maarten"))
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("NL-PIL-4711")
    expect(watch).to_have_url(re.compile(r"/watch/manual/$"))  # the typeahead, not a page load
    hit.click()

    expect(watch.get_by_test_id("person-name")).to_have_text("DE JONG, Maarten")
    expect(watch.get_by_test_id("document-on-record")).to_contain_text("NL-PIL-4711")
    expect(watch.locator("select[name=purpose]")).to_have_value("Pilot")
    watch.get_by_label("Document type").select_option(label="Authority ID card")
    watch.get_by_label("Document number").fill("NL-PIL-4711")
    watch.get_by_label("Identity document inspected and the photo matches").check()
    watch.get_by_role("button", name="Record").click()

    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("ALLOWED")
    expect(result.get_by_test_id("person-name")).to_have_text("DE JONG, Maarten")
    expect(onboard_total).to_have_text("1")  # refreshed on movement-recorded

    watch.get_by_role("link", name="Back to scan").click()
    expect(watch.locator("#scan-form")).to_be_visible()
    expect(onboard_total).to_have_text("1")


def test_wrong_number_is_refused_on_the_check_page(watch, pilot, live_server):
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    watch.get_by_label("Document type").select_option(label="Authority ID card")
    watch.get_by_label("Document number").fill("NL-PIL-9999")
    watch.get_by_label("Identity document inspected and the photo matches").check()
    watch.get_by_role("button", name="Record").click()

    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result.locator("li.reason[data-code=document_mismatch]")).to_be_visible()
    expect(watch.locator("#watch-onboard-count [data-testid=onboard-total]")).to_have_text("0")
