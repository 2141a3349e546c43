"""The admin at a tablet and a phone: a mistyping watch waits, tokens issued and revoked, verify.

Screenshots of every admin page at both sizes go to /tmp/admin-shots/ for a person to look at.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from gangway.extensions import db
from gangway.web.login_throttle import throttle_for
from tests.browser.conftest import SCREENS, add_user, login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser  # the writes behind it run on PostgreSQL in tests/integration

SHOTS = Path("/tmp/admin-shots")
BOTH = pytest.mark.parametrize("screen", SCREENS, indirect=True)
# Tap targets on the page's own content (the nav is the layout's): none under 44 px high.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "main a, main button, main select, main input:not([type=hidden]):not([type=checkbox])")]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .map(e => e.outerHTML.slice(0, 80))"""


def shot(page: Page, screen: str, name: str) -> None:
    """Check the page fits the screen's width and its targets are big enough; keep a picture."""
    page.wait_for_load_state("load")  # measured before its stylesheet applies, nothing fits
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["viewport"]["width"], f"{name} scrolls sideways: {width} px"
    assert page.evaluate(SMALL_TARGETS) == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{screen}.png", full_page=True)


def try_login(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def ping(url: str, token: str) -> int:
    """Call the API with a bearer token from outside the browser (no session cookie)."""
    request = urllib.request.Request(
        f"{url}/api/v1/ping", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@BOTH
def test_a_watch_mistyping_waits_a_little_and_is_never_locked(page, live_server, screen):
    add_user(live_server.app, "watch")
    now = [1000.0]
    throttle_for(live_server.app).clock = lambda: now[0]
    for _ in range(2):
        try_login(page, live_server.url, "watch", "not the password")
    try_login(page, live_server.url, "watch", PASSWORD)
    wait = page.get_by_role("alert").filter(has_text="Too many wrong passwords")
    expect(wait).to_contain_text("wait 1 s, then try again")
    shot(page, screen, "login-wait")

    now[0] += 1
    login(page, live_server.url, "watch")  # lands on the scan page's "Where is this tablet?"


@BOTH
def test_an_admin_issues_a_token_sees_it_once_and_a_revoked_token_gets_401(
    page, log_in, live_server, screen
):
    add_user(live_server.app, "watch")
    log_in(page, "admin")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("For (owner)").select_option(label="watch (Gangway watch)")
    page.get_by_label("What it is for").fill("Aft ladder scanner")
    page.get_by_role("button", name="Issue token").click()
    secret = page.get_by_test_id("secret-value")
    expect(secret).to_have_text(re.compile(r"^gw_\S{40,}$"))
    token = secret.inner_text()
    shot(page, screen, "tokens-issued")
    assert ping(live_server.url, token) == 200

    page.reload()  # shown once: never again
    expect(page.get_by_test_id("secret")).to_have_count(0)
    row = page.locator("tr", has_text="Aft ladder scanner")
    expect(row.get_by_test_id("state")).to_contain_text("Live")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row.get_by_test_id("state")).to_contain_text("Revoked")
    shot(page, screen, "tokens-revoked")
    assert ping(live_server.url, token) == 401


@BOTH
def test_the_admin_verifies_the_chain_in_the_background_and_sees_the_result(
    page, log_in, live_server, screen
):
    live_server.app.config["VERIFY_JOBS"] = "thread"  # as in production: never in the request
    add_user(live_server.app, "watch")
    log_in(page, "admin")
    page.get_by_role("link", name="Audit chain").click()
    expect(page.get_by_test_id("verification-result")).to_have_text(
        "Not verified from this page yet."
    )
    entries = int(page.get_by_test_id("chain-entries").inner_text().replace(",", ""))
    page.get_by_role("button", name="Verify now").click()
    result = page.get_by_test_id("verification-result")
    expect(result).to_contain_text("OK: the chain is unbroken", timeout=30_000)
    expect(page.get_by_test_id("verified-at")).to_contain_text("UTC")
    # The result is an entry of the chain itself: the head moved on by one.
    expect(page.get_by_test_id("chain-entries")).to_have_text(f"{entries + 1:,}")
    shot(page, screen, "audit")

    with live_server.app.app_context(), db.engine.begin() as conn:  # someone edits a user row
        conn.execute(text("UPDATE \"user\" SET role = 'admin' WHERE username = 'watch'"))
    page.get_by_role("button", name="Verify now").click()
    expect(result).to_contain_text("FAILED", timeout=30_000)
    expect(page.locator(".problems").first).to_contain_text("Records changed after their entry: 1")
    shot(page, screen, "audit-failed")


@BOTH
def test_every_admin_page_fits_the_screen(page, log_in, live_server, screen):
    add_user(live_server.app, "pfso")
    log_in(page, "admin")
    shot(page, screen, "users")
    page.locator("tr[data-username=pfso]").get_by_role("link", name="pfso").click()
    expect(page.get_by_role("heading", name="User pfso")).to_be_visible()
    shot(page, screen, "user")
    page.get_by_label("New password").fill("short")
    page.get_by_label("New password").evaluate("e => e.removeAttribute('minlength')")
    page.get_by_role("button", name="Set new password").click()
    expect(page.locator("small.error")).to_contain_text("at least 10 characters")
    shot(page, screen, "user-error")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Issue a token")).to_be_visible()
    shot(page, screen, "tokens")
    page.get_by_role("link", name="Audit chain").click()
    expect(page.get_by_role("heading", name="Head of the chain")).to_be_visible()
    shot(page, screen, "audit-empty")
    page.goto(f"{live_server.url}/admin/audit?after=1")  # as after "Verify now", still running
    expect(page.get_by_test_id("checking")).to_contain_text("Checking")
    expect(page.get_by_role("button", name="Verify now")).to_be_disabled()
    shot(page, screen, "audit-checking")


@BOTH
def test_a_user_whose_password_the_admin_set_chooses_their_own_first(
    page, log_in, live_server, screen
):
    log_in(page, "admin")
    page.get_by_label("Username").fill("deckhand")
    page.get_by_label("Role").select_option("watch")
    page.get_by_role("button", name="Add user").click()
    made_up = page.get_by_test_id("secret-value").inner_text()
    expect(page.locator("tr[data-username=deckhand]")).to_contain_text("new password")
    page.get_by_role("button", name="Log out").click()

    try_login(page, live_server.url, "deckhand", made_up)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    shot(page, screen, "password")
    page.get_by_label("Current password").fill(made_up)
    page.get_by_label("New password", exact=True).fill("my own deck phrase")
    page.get_by_label("New password again").fill("my own deck phrase")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Where is this tablet?")).to_be_visible()
