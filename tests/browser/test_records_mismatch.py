"""The watch and the SSO when the records a scan reads were edited beside the app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS

pytestmark = pytest.mark.browser
BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
SHOTS = "/tmp/chain-shots"


def lower_the_level_with_sql(app) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("UPDATE ship SET search_percent_1 = 50"))


@BOTH_SCREENS
def test_the_watch_gets_no_verdict_and_the_sso_sees_why(
    watch, badge, live_server, log_in, new_context, screen
):
    code = badge(kind="crew", family="HANSEN", given="Erik")
    lower_the_level_with_sql(live_server.app)
    watch.locator("#code").focus()
    scanner.scan(watch, code)
    result = watch.locator("#watch-result")
    expect(result).to_contain_text("Records do not match the log — call the SSO")
    expect(result).not_to_contain_text("ALLOWED")
    watch.screenshot(path=f"{SHOTS}/watch-mismatch-{screen}.png")
    sso = log_in(new_context(**SCREENS[screen]).new_page(), "sso")
    sso.goto(f"{live_server.url}/sso/onboard")
    expect(sso.get_by_role("alert").filter(has_text="Records do not match the log")).to_be_visible()
    head = sso.get_by_test_id("chain-head")
    expect(head).to_have_text(re.compile(r"^#\d+ [0-9a-f]{8}…[0-9a-f]{8}$"))
    wide = sso.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide  # the full hash wraps: no sideways scrolling
    sso.screenshot(path=f"{SHOTS}/sso-mismatch-{screen}.png", full_page=True)
