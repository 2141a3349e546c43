"""A pilot comes up the gangway without a QR code: the watch checks the ID by hand.

The watch types the number off the document as a person does (key by key, not at scanner
speed); the number on record shows only once typed. A scanner's burst on these pages types
nothing and is offered as a scan.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gangway.db.models import Movement, Person, Refusal
from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS

pytestmark = pytest.mark.browser

BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
NUMBER = "NL-PIL-4711"
TYPING_DELAY_MS = 90  # a quick person; a scanner's keys come 1-30 ms apart


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
            document_type="authority_id",
            document_number=NUMBER,
            purpose="Pilot",
        )
        db.session.add(person)
        db.session.commit()
        return person.id


def records(live_server) -> tuple[int, int]:
    """Return how many movements and refusals are recorded."""
    with live_server.app.app_context():
        count = db.func.count()
        movements = db.session.scalar(db.select(count).select_from(Movement))
        return movements, db.session.scalar(db.select(count).select_from(Refusal))


def onboard_total(page: Page):
    return page.locator("#watch-onboard-count [data-testid=onboard-total]")


def type_document(page: Page, number: str, doc_type: str = "Authority ID card") -> None:
    """Choose the type and type the number off the document, then tick the box."""
    page.get_by_label("Document type").select_option(label=doc_type)
    field = page.get_by_label("Document number")
    field.click()
    field.press("Control+a")
    field.press("Delete")
    field.press_sequentially(number, delay=TYPING_DELAY_MS)
    box = page.get_by_label("Identity document inspected and the photo matches")
    if not box.is_checked():
        box.check()


@BOTH_SCREENS
def test_watch_checks_a_pilot_by_hand_and_the_counter_counts_them(watch, pilot):
    expect(onboard_total(watch)).to_have_text("0")

    watch.get_by_role("link", name="Check ID by hand").click()
    search = watch.get_by_role("searchbox")
    expect(search).to_be_focused()
    search.press_sequentially("jong", delay=TYPING_DELAY_MS)
    hit = watch.locator("#manual-results").get_by_role("link", name=re.compile("DE JONG, Maarten"))
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("Authority ID card, number ends 711")
    expect(hit).not_to_contain_text(NUMBER)
    expect(watch).to_have_url(re.compile(r"/watch/manual/$"))  # the typeahead, not a page load
    hit.click()

    expect(watch.get_by_test_id("person-name")).to_have_text("DE JONG, Maarten")
    on_record = watch.get_by_test_id("document-on-record")
    expect(on_record).to_contain_text("Authority ID card")
    expect(on_record).to_contain_text("Its number shows here once you have typed it")
    assert NUMBER not in watch.content()
    expect(watch.get_by_label("Document type")).to_have_value("")  # read off the document
    expect(watch.locator("select[name=purpose]")).to_have_value("Pilot")
    type_document(watch, NUMBER)
    watch.get_by_role("button", name="Record").click()

    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("ALLOWED")
    expect(result.get_by_test_id("person-name")).to_have_text("DE JONG, Maarten")
    expect(onboard_total(watch)).to_have_text("1")  # refreshed on movement-recorded
    expect(on_record.get_by_test_id("number-on-record")).to_have_text(NUMBER)

    watch.get_by_role("link", name="Back to scan").click()
    expect(watch.locator("#scan-form")).to_be_visible()
    expect(onboard_total(watch)).to_have_text("1")


def test_wrong_number_is_refused_and_then_shown_beside_the_record(watch, pilot, live_server):
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    type_document(watch, "BE-99-123456")
    watch.get_by_role("button", name="Record").click()

    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result.locator("li.reason[data-code=document_mismatch]")).to_be_visible()
    expect(onboard_total(watch)).to_have_text("0")
    on_record = watch.get_by_test_id("document-on-record")
    expect(on_record.get_by_test_id("number-on-record")).to_have_text(NUMBER)
    expect(on_record.get_by_test_id("number-typed")).to_contain_text("BE-99-123456")


@BOTH_SCREENS
def test_a_slip_of_the_finger_is_read_again_before_anything_is_recorded(watch, pilot, live_server):
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    type_document(watch, "NL-PIL-4717")
    watch.get_by_role("button", name="Record").click()

    look_again = watch.get_by_test_id("look-again")
    expect(look_again).to_be_visible()
    expect(look_again).to_contain_text("Look at the document again")
    expect(look_again).to_be_in_viewport()
    expect(watch.get_by_label("Document number")).to_have_value("NL-PIL-4717")
    expect(watch.locator("#watch-result")).to_have_attribute("data-verdict", "ready")
    assert NUMBER not in watch.content()
    assert records(live_server) == (0, 0)

    type_document(watch, NUMBER)  # corrected
    watch.get_by_role("button", name="Record as typed now").click()
    expect(watch.locator("#watch-result")).to_have_attribute("data-verdict", "allowed")
    expect(onboard_total(watch)).to_have_text("1")
    assert records(live_server) == (1, 0)


def test_a_slip_confirmed_after_looking_again_is_refused_as_a_mismatch(watch, pilot, live_server):
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    type_document(watch, "NL-PIL-4717")
    watch.get_by_role("button", name="Record").click()
    expect(watch.get_by_test_id("look-again")).to_be_visible()

    watch.get_by_role("button", name="Record as typed now").click()
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result.locator("li.reason[data-code=document_mismatch]")).to_be_visible()
    assert records(live_server) == (0, 1)


def test_another_type_of_document_is_refused(watch, pilot, live_server):
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    type_document(watch, NUMBER, doc_type="Passport")
    watch.get_by_role("button", name="Record").click()

    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "refused")
    reason = result.locator("li.reason[data-code=document_type_mismatch]")
    expect(reason).to_contain_text("not the type of document on record")
    assert records(live_server) == (0, 1)


@BOTH_SCREENS
def test_a_scan_on_the_search_page_types_nothing_and_is_offered_as_a_scan(watch, badge):
    code = badge(kind="crew", family="HANSEN", given="Erik")
    watch.get_by_role("link", name="Check ID by hand").click()
    search = watch.get_by_role("searchbox")
    search.press_sequentially("jo", delay=TYPING_DELAY_MS)

    scanner.scan(watch, code)  # the scanner, wherever the focus is

    offer = watch.get_by_test_id("scan-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("A code was scanned, nothing was typed")
    expect(offer).to_be_in_viewport()
    expect(search).to_have_value("jo")
    expect(search).to_be_focused()

    offer.get_by_role("button", name="Check it as a scan").click()
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result.get_by_test_id("person-name")).to_have_text("HANSEN, Erik")
    expect(watch.locator("#scan-form")).to_be_visible()
    expect(onboard_total(watch)).to_have_text("1")


@BOTH_SCREENS
def test_a_scan_on_the_check_page_lands_in_no_field_and_is_checked_there(
    watch, pilot, badge, live_server
):
    code = badge(kind="crew", family="HANSEN", given="Erik")
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    number = watch.get_by_label("Document number")
    number.click()
    number.press_sequentially("NL", delay=TYPING_DELAY_MS)

    scanner.scan(watch, code)

    offer = watch.get_by_test_id("scan-offer")
    expect(offer).to_be_visible()
    expect(offer).to_be_in_viewport()
    expect(number).to_have_value("NL")
    assert records(live_server) == (0, 0)  # the Enter submitted nothing

    watch.get_by_label("Document type").focus()  # a scan while the type list has the focus
    scanner.scan(watch, code)
    expect(watch.get_by_label("Document type")).to_have_value("")
    expect(offer.get_by_test_id("scanned-code")).to_have_text(code)

    offer.get_by_role("button", name="Check it as a scan").click()
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result.get_by_test_id("person-name")).to_have_text("HANSEN, Erik")
    expect(offer).to_be_hidden()
    expect(watch.locator("h1[data-testid=person-name]")).to_have_text("DE JONG, Maarten")
    expect(number).to_have_value("NL")
    expect(onboard_total(watch)).to_have_text("1")
    assert records(live_server) == (1, 0)


def test_the_scan_offer_can_be_dismissed(watch, pilot, badge, live_server):
    code = badge(kind="crew")
    watch.goto(f"{live_server.url}/watch/manual/{pilot}")
    scanner.scan(watch, code)
    offer = watch.get_by_test_id("scan-offer")
    offer.get_by_role("button", name="Not now").click()
    expect(offer).to_be_hidden()
    assert records(live_server) == (0, 0)
