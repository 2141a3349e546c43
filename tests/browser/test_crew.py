"""The SSO's crew page on a tablet and a phone: search, sign a crew member off, then on again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from gangway.db.models import Person, User
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.keys import public_keys
from gangway.services.scan.input import ScanInput
from gangway.services.scan.scanning import record_scan
from tests.browser.conftest import SCREENS, add_user, issue, login

pytestmark = pytest.mark.browser  # the writes behind it run on PostgreSQL in tests/integration
SHOTS = Path(os.environ.get("GANGWAY_SHOTS", "/tmp/crew-shots"))


def crew(app) -> None:
    """A small crew: the master (on board), an AB with long names, a cook signed off (no badge)."""
    master = issue(app, family="HANSEN", given="Erik", rank="Master", nationality="NOR",
                   document_number="NO123456")  # fmt: skip
    issue(app, family="DELA CRUZ-SANTOS", given="Maria Luisa Concepcion", rank="AB",
          nationality="PHL", document_number="PH998877")  # fmt: skip
    watch = add_user(app, "watch")
    with app.app_context():
        db.session.add(Person(kind="crew", family_name="OKAFOR", given_names="Chidi", rank="Cook",
                              nationality="NGA", is_enabled=False))  # fmt: skip
        db.session.commit()
        user = db.session.scalars(select(User).where(User.username == watch)).one()
        boarding = ScanInput(code=master, access_point="MAIN-GW", direction="board")
        outcome = record_scan(
            db.session, boarding, user=user, now=utcnow(), public_keys=public_keys()
        )
        assert outcome.decision.is_allowed


def assert_no_sideways_scroll(page: Page) -> None:
    """The page is no wider than the screen (a phone's browser would otherwise zoom out)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"


def row(page: Page, name: str):
    return page.locator(".crew-row", has_text=name)


def shoot(page: Page, screen: str, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{screen}-{step}.png", full_page=True)


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_sso_searches_signs_a_crew_member_off_then_on_again(page, live_server, screen):
    crew(live_server.app)
    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/crew/")
    expect(page.locator(".crew-row")).to_have_count(3)
    assert_no_sideways_scroll(page)
    shoot(page, screen, "1-list")

    page.get_by_placeholder("Name, rank or document number").type("hans", delay=40)
    expect(page.locator(".crew-row")).to_have_count(1)  # the typeahead, without a submit
    expect(row(page, "HANSEN, Erik")).to_contain_text("Master · NOR")
    expect(page).to_have_url(f"{live_server.url}/sso/crew/?q=hans&show=all")

    page.get_by_role("link", name="Sign off HANSEN, Erik").click()
    confirm = page.locator("#crew-confirm")
    expect(confirm.get_by_role("heading")).to_have_text("Sign off HANSEN, Erik?")
    expect(confirm).to_contain_text("Badge 1 is revoked at once")
    expect(confirm.get_by_test_id("aboard-warning")).to_contain_text(
        "HANSEN, Erik is still recorded on board. You may sign them off now"
    )
    expect(confirm.get_by_role("button", name="Yes, sign off")).to_be_in_viewport()
    assert_no_sideways_scroll(page)
    shoot(page, screen, "2-confirm-sign-off")
    confirm.get_by_role("button", name="Yes, sign off").click()

    expect(page.get_by_test_id("notice")).to_have_text(
        "HANSEN, Erik signed off: badge 1 revoked."
        " Still recorded on board: their departure is recorded as they leave."
    )
    hansen = row(page, "HANSEN, Erik")
    expect(hansen.get_by_test_id("standing")).to_have_text("Signed off")
    expect(hansen.get_by_test_id("badge")).to_contain_text("Revoked: Signed off")
    expect(page.locator("#crew-confirm")).to_be_empty()
    shoot(page, screen, "3-signed-off")

    hansen.get_by_role("link", name="Sign on HANSEN, Erik").click()
    expect(confirm.get_by_role("heading")).to_have_text("Sign on HANSEN, Erik?")
    confirm.get_by_role("button", name="Yes, sign on and issue a badge").click()
    expect(page.get_by_test_id("notice")).to_contain_text("HANSEN, Erik signed on: badge 3 issued.")
    expect(hansen.get_by_test_id("standing")).to_have_text("Signed on")
    expect(hansen.get_by_test_id("badge")).to_contain_text("Badge 3")
    expect(hansen.get_by_test_id("badge")).to_contain_text("Valid until")
    assert_no_sideways_scroll(page)
    shoot(page, screen, "4-signed-on")

    page.get_by_role("link", name="Signed off 0").click()  # the filter, with the search kept
    page.wait_for_url(f"{live_server.url}/sso/crew/?q=hans&show=signed_off")
    page.wait_for_load_state("load")  # the search box hears typing once the page's scripts ran
    expect(page.locator(".crew-row")).to_have_count(0)
    page.get_by_placeholder("Name, rank or document number").fill("")
    expect(row(page, "OKAFOR, Chidi")).to_be_visible()
    expect(page.locator(".crew-row")).to_have_count(1)


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_sso_signs_on_a_new_crew_member_and_gets_the_badge_to_print(page, live_server, screen):
    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/crew/new")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Given names").fill("Chidi")
    page.get_by_label("Nationality").fill("N1G")
    page.get_by_label("Document type").fill("Seafarer ID")
    page.get_by_label("Document number").fill("NG-445566")
    page.get_by_role("button", name="Sign on and issue badge").click()
    expect(page.locator("#error-nationality")).to_contain_text("is not a country")
    expect(page.locator("#error-date_of_birth")).to_have_text("Required: fill this in.")
    expect(page.get_by_label("Family name")).to_have_value("Okafor")
    assert_no_sideways_scroll(page)
    shoot(page, screen, "5-new-errors")
    page.get_by_label("Nationality").fill("NGA")
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_role("button", name="Sign on and issue badge").click()
    expect(page.get_by_role("heading", name="Badge 1: OKAFOR, Chidi")).to_be_visible()
    expect(page.get_by_test_id("badge-state")).to_have_text("ACTIVE")


def test_without_javascript_the_search_and_the_sign_off_still_work(new_context, live_server):
    crew(live_server.app)
    add_user(live_server.app, "sso")
    context = new_context(**SCREENS["tablet"], java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/crew/")
    page.get_by_placeholder("Name, rank or document number").fill("master")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".crew-row")).to_have_count(1)
    page.get_by_role("link", name="Sign off HANSEN, Erik").click()
    page.get_by_role("button", name="Yes, sign off").click()
    expect(page.locator(".flash")).to_contain_text("HANSEN, Erik signed off: badge 1 revoked.")
    expect(page).to_have_url(f"{live_server.url}/sso/crew/?q=master&show=all")
    expect(row(page, "HANSEN, Erik").get_by_test_id("standing")).to_have_text("Signed off")
    context.close()
