"""The SSO records a ship-to-ship activity and makes the Security Report for the next port."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import add_user, login
from tests.conftest import NOW

pytestmark = pytest.mark.browser
UTC = "%Y-%m-%dT%H:%M"


@pytest.mark.parametrize("screen", ["phone", "tablet"], indirect=True)
def test_sso_records_a_ship_to_ship_activity_and_reads_it_in_the_security_report(
    page, live_server, screen
):
    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.locator("#nav-menu summary").click()  # both screens fold the menu
    page.get_by_role("link", name="Security report").click()
    page.get_by_role("link", name="Ship-to-ship activities").click()
    page.get_by_label("Other ship's name").fill("Bunker Queen")
    page.get_by_label("Where (position or area)").fill("Off Malta, 35.8N 14.6E")
    page.get_by_label("From (UTC)").fill((NOW - timedelta(hours=6)).strftime(UTC))
    page.get_by_label("To (UTC)").fill((NOW - timedelta(hours=8)).strftime(UTC))
    page.get_by_label("Security measures kept").fill("Deck watch doubled.")
    page.get_by_role("button", name="Record activity").click()
    expect(page.get_by_test_id("error-message")).to_contain_text("cannot end before it started")
    page.get_by_label("To (UTC)").fill((NOW - timedelta(hours=2)).strftime(UTC))
    page.get_by_role("button", name="Record activity").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Ship-to-ship activity recorded")
    expect(page.get_by_test_id("sts-list")).to_contain_text("Bunker Queen")

    page.get_by_role("link", name="Security report").click()
    page.get_by_label("Port of arrival (UN/LOCODE)").fill("DEHAM")
    page.get_by_label("Expected arrival (UTC)").fill((NOW + timedelta(days=2)).strftime(UTC))
    page.get_by_label("Primary purpose of call").fill("Cargo operations")
    page.get_by_role("button", name="Make the report").click()
    expect(page.get_by_test_id("last-calls")).to_contain_text("Rotterdam, NL, NLRTM")
    expect(page.locator("[data-item='3.4']")).to_contain_text("Bunker Queen")
    expect(page.get_by_test_id("signature")).to_contain_text("Chain head #")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
