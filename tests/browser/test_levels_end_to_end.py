"""Security levels end to end: the SSO raises the level, the watch's tablet follows at once.

Level 2 asks for an escort, level 3 refuses all but responders, and the refusal reaches the
SSO's screen and a real SMTP server's inbox.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gangway.background import mail
from tests.browser import scanner
from tests.browser.conftest import SCREENS, add_user, issue, login
from tests.support.smtp import smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.postgres]  # also run on PostgreSQL


def set_level(sso: Page, url: str, level: int, reason: str) -> None:
    sso.goto(f"{url}/sso/security/")
    sso.locator(f"input[name=level][value='{level}']").check()
    sso.locator("input[name=reason]").fill(reason)
    sso.get_by_role("button", name="Set security level").click()


def scan(watch: Page, code: str) -> None:
    watch.locator("#code").focus()
    scanner.scan(watch, code)


def test_level_2_escort_then_level_3_refusal_reaches_the_sso_and_their_inbox(
    new_context, live_server
):
    app, url = live_server.app, live_server.url
    crew = issue(app, kind="crew", family="SANTOS", given="Maria", rank="Bosun")
    visitor = issue(app, kind="visitor", family="VAN DIJK", given="Pieter", purpose="Ship's agent")
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, SSO_EMAIL="sso@ship.example")
        watch = new_context(**SCREENS["tablet"]).new_page()
        add_user(app, "watch")
        login(watch, url, "watch")
        result, band = watch.locator("#watch-result"), watch.locator("#level-band")
        expect(band).to_contain_text("SECURITY LEVEL 1")
        scan(watch, crew)
        expect(result).to_have_attribute("data-verdict", "allowed")

        sso = new_context(**SCREENS["tablet"]).new_page()
        add_user(app, "sso")
        login(sso, url, "sso")
        set_level(sso, url, 2, "Port state raised the level")
        expect(band).to_contain_text("SECURITY LEVEL 2", timeout=10_000)  # no reload on the tablet

        expect(result).to_have_attribute("data-verdict", "ready")
        scan(watch, visitor)
        expect(result).to_have_attribute("data-verdict", "escort_needed")
        expect(result).to_contain_text("ESCORT NEEDED")
        watch.locator("#escort-form input[name=escort]").focus()
        scanner.scan(watch, crew)  # the escort's crew badge, scanned
        expect(result).to_have_attribute("data-verdict", "allowed")
        expect(result.get_by_test_id("escort")).to_have_text("Escort: SANTOS, Maria")

        expect(result).to_have_attribute("data-verdict", "ready")
        watch.locator("label.dir-depart").click()
        scan(watch, visitor)
        expect(result).to_have_attribute("data-verdict", "allowed")

        set_level(sso, url, 3, "Security incident ashore")
        expect(band).to_contain_text("SECURITY LEVEL 3", timeout=10_000)
        expect(result).to_have_attribute("data-verdict", "ready")
        watch.locator("label.dir-board").click()
        scan(watch, visitor)
        expect(result).to_have_attribute("data-verdict", "refused")
        expect(result).to_contain_text("only those responding to the incident may board")

        alert = sso.get_by_test_id("refusal-alert")
        expect(alert).to_contain_text("only those responding", timeout=10_000)
        assert inbox.arrived.wait(15), "no mail reached the SMTP server"
        assert "REFUSED" in inbox.messages[0]["Subject"]
        assert "responding to the incident" in inbox.messages[0].get_content()
        assert mail.wait_until_idle(app, timeout=15)
