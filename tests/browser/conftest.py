"""Browser fixtures: Debian's Chromium through pytest-playwright, and the app on a live server.

The server is werkzeug in a daemon thread (not pytest-flask's multiprocessing live_server) on a
fresh database with CSRF on, as in production. Pages run at tablet size unless a test asks for
the phone too with `@pytest.mark.parametrize("screen", SCREENS, indirect=True)`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from gangway.db.models import Person, User
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.services.accounts.accounts import create_user
from gangway.services.people.badges import issue_badge
from tests.conftest import FAST_HASH, NOW, PASSWORD, build_app
from tests.support.job_workers import running_workers
from tests.support.live_server import serving

CHROMIUM = os.environ.get("GANGWAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
]
# Browser-context options per screen: the gangway tablet, and a phone the SSO may borrow.
SCREENS = {
    "tablet": {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}
VERDICT_RESET_SECONDS = 2


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright's own downloads are never installed here)."""
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM} (apt-get install chromium or set GANGWAY_CHROMIUM)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI=true the browser tests must run, not skip.")
        pytest.skip(f"{message}; skipped because CI is not 'true'.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(pytestconfig) -> str | None:
    """Same as pytest-playwright 0.10's fallback `base_url`, as a plain function.

    Its own is a session fixture defined as an instance method, which pytest 9 deprecates with
    PytestRemovedIn10Warning (an error under filterwarnings=error). Tests use live_server.url.
    """
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


@pytest.fixture
def live_server(tmp_path):
    """Serve a fresh app (CSRF on, short verdict reset) on a random port in a daemon thread."""
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True, VERDICT_RESET_SECONDS=VERDICT_RESET_SECONDS)
    with serving(app) as server:
        yield server


@pytest.fixture
def live_server_with_workers(tmp_path):
    """The app with long work in real worker processes; JOBS_HOLD (a file) keeps a job
    mid-way while it exists. Use it as `live_server` by overriding that fixture."""
    hold = tmp_path / "hold"
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True, JOBS="process", JOBS_HOLD=str(hold))
    with serving(app) as server, running_workers(app):
        yield server


@pytest.fixture
def screen(request) -> str:
    """The screen a test's pages use: tablet unless parametrized indirectly."""
    return getattr(request, "param", "tablet")


@pytest.fixture
def context(new_context, screen, live_server):
    """A browser context at the chosen screen size, closed before the live server stops."""
    context = new_context(**SCREENS[screen])
    yield context
    context.close()


def add_user(app: Flask, role: str, username: str | None = None) -> str:
    """Create a user with the shared test password (once) and return the username."""
    username = username or role
    with app.app_context():
        if not db.session.scalars(db.select(User).where(User.username == username)).first():
            create_user(db.session, username, role, PASSWORD, f"Test {role}", hash_method=FAST_HASH)
            db.session.commit()
    return username


def issue(
    app: Flask, *, kind: str = "crew", family: str = "HANSEN", given: str = "Erik", **fields
) -> str:
    """Register a person and issue a badge valid now (as tests/conftest.py make_badge does)."""
    with app.app_context():
        person = Person(kind=kind, family_name=family, given_names=given, **fields)
        db.session.add(person)
        badge = issue_badge(
            db.session,
            person,
            valid_from=NOW - timedelta(days=1),
            valid_until=NOW + timedelta(days=30),
            private_key=signing_key(),
            key_id=KEY_ID,
            now=NOW,
        )
        db.session.commit()
        return badge.code


def login(page: Page, base_url: str, role: str) -> None:
    """Log in through the form; the watch then stands the tablet at the main gangway."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if role == "watch":
        expect(page.get_by_role("heading", name="Where is this tablet?")).to_be_visible()
        page.locator("button[name=access_point][value=MAIN-GW]").click()
        expect(page.locator("#scan-form")).to_be_visible()
        # The form shows while the page is still parsed: its scripts (watch.js hears the photo
        # input's change) run before "load". A test acting earlier was once not heard at all.
        page.wait_for_load_state("load")
    else:
        page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def log_in(live_server):
    """Return `log_in(page, role="watch")`: create the user if needed, then log in."""

    def log_in_as(page: Page, role: str = "watch") -> Page:
        add_user(live_server.app, role)
        login(page, live_server.url, role)
        return page

    return log_in_as


@pytest.fixture
def watch(page, log_in) -> Page:
    """A page logged in as the watch, on the scan page at the main gangway."""
    return log_in(page, "watch")


@pytest.fixture
def badge(live_server):
    """Return `badge(kind=..., family=..., given=..., **fields)`: issue a badge, return its code."""

    def make(**kwargs) -> str:
        return issue(live_server.app, **kwargs)

    return make


def assert_fits(page: Page) -> None:
    """Fail if the page scrolls sideways, measured once its stylesheets are in (a layout taken
    before them, while the parser already holds the DOM, is wider than anything a person sees)."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways: {width} px"
