"""After the idle logout the tablet shows the re-login page while the queue keeps scanning: a scan
there is no login attempt (each would make the tablet wait longer); the watch logs in by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from gangway.db.models import User
from gangway.db.types import utcnow
from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
POLL_TIMEOUT_MS = 15_000  # the on-board counter polls every 5 s and meets the ended session
TYPING_DELAY_MS = 90  # a quick person; a scanner's keys come 1-30 ms apart


def go_idle(monkeypatch, live_server) -> None:
    """Move the idle timeout's clock past WATCH_IDLE_MINUTES, as a tablet left alone."""
    minutes = live_server.app.config["WATCH_IDLE_MINUTES"] + 1
    later = utcnow() + timedelta(minutes=minutes)
    monkeypatch.setattr("gangway.web.auth.utcnow", lambda: later)


def failed_logins(live_server) -> tuple[int, object]:
    with live_server.app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "watch")).one()
        return user.failed_logins, user.locked_until


@BOTH_SCREENS
def test_scans_on_the_re_login_page_type_nothing_and_lock_nobody_out(
    watch: Page, badge, live_server, monkeypatch
):
    code = badge(kind="crew")
    go_idle(monkeypatch, live_server)

    # The counter's next poll meets the ended session and htmx goes to the re-login page.
    expect(watch).to_have_url(re.compile(r"/login\?next="), timeout=POLL_TIMEOUT_MS)
    expect(watch.get_by_text("Logged out after")).to_be_visible()
    password = watch.get_by_label("Password")
    expect(password).to_be_focused()

    notice = watch.get_by_test_id("login-scanned")
    for _ in range(6):  # more arrivals than the five failures that lock the account
        scanner.scan(watch, code)
        expect(notice).to_be_visible()
    expect(notice).to_have_text("Log in first: that was a scan, nothing was typed.")
    expect(password).to_have_value("")
    expect(watch.get_by_label("Username")).to_have_value("watch")
    expect(watch).to_have_url(re.compile(r"/login\?next="))
    assert failed_logins(live_server) == (0, None)

    password.press_sequentially(PASSWORD, delay=TYPING_DELAY_MS)
    password.press("Enter")
    expect(watch.locator("#scan-form")).to_be_visible()
    assert failed_logins(live_server) == (0, None)
