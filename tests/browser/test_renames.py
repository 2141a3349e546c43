"""A crew member renamed by a crew list after boarding, as the SSO sees them (tablet and phone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from gangway.db.models import Badge, Person, User
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.keys import KEY_ID, public_keys, signing_key
from gangway.services.lists.imports import apply_import
from gangway.services.scan.input import ScanInput
from gangway.services.scan.scanning import record_scan
from tests.browser import scanner
from tests.browser.conftest import SCREENS, add_user, login
from tests.browser.test_crew import assert_no_sideways_scroll
from tests.integration.test_imports import CREW_FILE, HANSEN

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("GANGWAY_SHOTS", "/tmp/snapshots-shots"))
RENAMED = CREW_FILE.replace(HANSEN, HANSEN.replace("Hansen,Erik", "Smith-Johansson,Erik Magnus"))


def board_then_rename(app) -> str:
    """Import the crew, let the master board, then import a list that renames him; return
    the code of his badge (its card still shows HANSEN)."""
    sso = add_user(app, "sso")
    watch = add_user(app, "watch")
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        signing = {"private_key": signing_key(), "key_id": KEY_ID}
        apply_import(db.session, "crew", CREW_FILE, user=users[sso], now=utcnow(), **signing)
        code = db.session.scalars(
            select(Badge.code).join(Person).where(Person.document_number == "NO123456")
        ).one()
        boarding = ScanInput(code=code, access_point="MAIN-GW", direction="board")
        record_scan(
            db.session, boarding, user=users[watch], now=utcnow(), public_keys=public_keys()
        )
        apply_import(db.session, "crew", RENAMED, user=users[sso], now=utcnow(), **signing)
        return code


def shoot(page: Page, screen: str, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{screen}-{step}.png", full_page=True)


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_the_sso_sees_the_new_name_with_the_old_one_where_he_is_shown_now(
    page, live_server, screen
):
    board_then_rename(live_server.app)
    login(page, live_server.url, "sso")
    was = f"(was HANSEN, Erik until {utcnow():%Y-%m-%d})"
    for path, step in (("/sso/onboard", "onboard"), ("/sso/muster", "muster"),
                       ("/sso/crew/", "crew")):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        renamed = page.get_by_test_id("renamed")
        expect(renamed).to_have_text(was)
        expect(page.get_by_text("SMITH-JOHANSSON, Erik Magnus")).to_be_visible()
        assert_no_sideways_scroll(page)
        shoot(page, screen, step)
    page.goto(f"{live_server.url}/pfso/log")  # what he did stays under the name he had
    expect(page.locator("tr[data-outcome=allowed]")).to_contain_text("Hansen, Erik")
    assert_no_sideways_scroll(page)
    shoot(page, screen, "log")


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_the_watch_is_told_the_name_his_last_crossing_recorded(page, live_server, screen):
    code = board_then_rename(live_server.app)
    login(page, live_server.url, "watch")
    scanner.scan(page, code)
    result = page.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(page.get_by_test_id("person-name")).to_have_text("SMITH-JOHANSSON, Erik Magnus")
    expect(page.get_by_test_id("renamed")).to_contain_text(
        "Renamed since last seen as HANSEN, Erik on "
    )
    assert_no_sideways_scroll(page)
    shoot(page, screen, "verdict")
