"""Two people on one crew badge: the second, boarding while the first is aboard, is refused."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser import scanner
from tests.browser.conftest import SCREENS

pytestmark = [pytest.mark.browser]
SHOTS = os.environ.get("GANGWAY_SHOTS")  # a folder: keep screenshots to look at


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_the_second_boarding_on_one_crew_badge_is_refused_with_the_reason(watch, badge, screen):
    code = badge(kind="crew", family="HANSEN", given="Erik")
    result = watch.locator("#watch-result")
    scanner.scan(watch, code)
    expect(result).to_have_attribute("data-verdict", "allowed")

    watch.locator("label.dir-board").click()  # someone walks up the gangway on the same badge
    watch.locator("#code").focus()
    scanner.scan(watch, code)

    expect(result).to_have_attribute("data-verdict", "refused")
    reason = result.locator("li.reason[data-code=already_aboard]")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("the plan refuses boarding twice for crew")
    expect(reason).to_contain_text("record their departure first")
    expect(watch.locator("#watch-onboard-count [data-testid=onboard-total]")).to_have_text("1")
    if SHOTS:
        watch.screenshot(path=f"{SHOTS}/passback-{screen}.png", full_page=True)


def test_an_offline_tablet_refuses_the_second_boarding_as_the_plan_says(
    context, live_server, log_in, badge
):
    code = badge(kind="crew", family="SANTOS", given="Maria")
    page = log_in(context.new_page(), "watch")
    expect(page.locator("body")).to_have_attribute("data-offline-pack-at", re.compile(r"^\d{4}-"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    expect(page.get_by_test_id("offline-banner")).to_contain_text("OFFLINE")
    result = page.locator("#watch-result")
    page.locator("#code").focus()
    scanner.scan(page, code)
    expect(result).to_have_attribute("data-verdict", "allowed")

    page.locator("label.dir-board").click()
    page.locator("#code").focus()
    scanner.scan(page, code)
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result).to_contain_text("PROVISIONAL")
    reason = result.locator("[data-code=already_aboard]")
    expect(reason).to_contain_text("the plan refuses boarding twice for crew")
