"""The tablet reads a badge in one spelling: scanned in lower case it is refused in plain words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gangway.db.models import Movement, Refusal
from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("GANGWAY_SHOTS")  # a folder to keep screenshots in, for a person to look


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_a_badge_scanned_in_lower_case_is_refused_as_altered_then_read_as_printed(
    watch, badge, screen
):
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    result = watch.locator("#watch-result")
    watch.locator("#code").focus()

    scanner.scan(watch, code.lower())  # a tablet with Caps Lock on turns the scanner's capitals

    expect(result).to_have_attribute("data-verdict", "refused")
    reason = result.locator("li.reason[data-code=forged]")
    expect(reason).to_have_text("Badge signature is invalid: the code was altered or forged.")
    if SHOTS:
        watch.screenshot(path=str(Path(SHOTS) / f"lower-case-badge-{screen}.png"))

    scanner.scan(watch, code)
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("HANSEN")


@pytest.mark.parametrize("minds", [False, True], ids=["plain-scanner", "scanner-minds-caps-lock"])
def test_caps_lock_on_the_tablet_does_not_turn_a_badge_into_a_forgery(watch, badge, minds):
    """Caps Lock turns the capitals a scanner types with Shift into small letters; the badge as
    sent is what is checked, so the watch is not left refusing every badge."""
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    result = watch.locator("#watch-result")
    watch.locator("#code").focus()

    scanner.scan_with_caps_lock(watch, code, scanner_minds_caps_lock=minds)

    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("HANSEN")
    expect(watch.locator("#code")).to_have_value("")


def test_offline_the_tablet_refuses_another_spelling_too_and_the_ship_agrees(
    context, live_server, log_in, badge
):
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    page = log_in(context.new_page(), "watch")
    body, result = page.locator("body"), page.locator("#watch-result")
    expect(body).to_have_attribute("data-offline-pack-at", re.compile(r"^\d{4}-"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    respelled = [code.lower(), "\u00a0" + code, code[:20] + "\u200b" + code[20:]]
    for text in respelled:
        page.focus("#code")
        page.keyboard.insert_text(text)
        page.keyboard.press("Enter")
        expect(result).to_contain_text("PROVISIONAL")
        expect(result).to_have_attribute("data-verdict", "refused")
        expect(result.locator("li.reason[data-code=forged]")).to_be_visible()
    queue = page.evaluate("import('/static/js/offline-queue.js').then((m) => m.queued())")
    assert [q["code"] for q in queue] == respelled  # queued as scanned, not respelled

    context.set_offline(False)
    expect(body).to_have_attribute("data-offline-sent", str(len(respelled)), timeout=30_000)
    with live_server.app.app_context():
        refusals = list(db.session.scalars(select(Refusal)))
        assert [r.reason_code for r in refusals] == ["forged"] * len(respelled)
        assert db.session.scalars(select(Movement)).first() is None
