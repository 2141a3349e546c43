"""The SSO raises the security level; the band on the watch's tablet follows without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS, add_user, login

pytestmark = pytest.mark.browser


def test_the_watch_sees_a_new_security_level_without_reloading(page, new_context, live_server):
    add_user(live_server.app, "watch")
    watch_context = new_context(**SCREENS["tablet"])
    watch = watch_context.new_page()
    login(watch, live_server.url, "watch")
    band = watch.locator("#level-band")
    expect(band).to_contain_text("SECURITY LEVEL 1")
    watch.evaluate("window.notReloaded = true")

    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.locator("#nav-menu summary").click()  # the tablet folds the menu
    page.get_by_role("link", name="Security level").click()
    page.get_by_label("Level 2").check()
    page.get_by_label("Reason").fill("Company security officer's order")
    page.locator("select[name=ordered_by]").select_option("company")
    page.get_by_role("button", name="Set security level").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Security level 2 is in force")
    expect(page.locator("#level-band")).to_contain_text("SECURITY LEVEL 2 · TWO")

    expect(band).to_contain_text("SECURITY LEVEL 2 · TWO", timeout=10_000)
    expect(band).to_have_class("level-band level-2")
    assert watch.evaluate("window.notReloaded") is True
    watch_context.close()
