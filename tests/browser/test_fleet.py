"""The CSO ashore opens the fleet page at a tablet and a phone: every ship, a diverged chain.

Screenshots at both sizes go to /tmp/shore-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENS, add_user, assert_fits, login
from tests.support.live_server import serving
from tests.support.shore import (
    SHIP_STATUS,
    add_test_ship,
    batch,
    chain,
    rewritten,
    send,
    shore_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.shore]
SHOTS = Path("/tmp/shore-shots")


@pytest.fixture
def live_server(tmp_path):
    """The shore server, CSRF on, with a ship reporting and one whose chain diverged."""
    app = shore_app(tmp_path, WTF_CSRF_ENABLED=True)
    client, entries = app.test_client(), chain(4)
    imo, token = add_test_ship(app, "MV Aurora")
    send(client, token, batch(imo, entries[:3], **SHIP_STATUS))
    other, bad = add_test_ship(app, "MV Borealis with a rather long name")
    send(client, bad, batch(other, entries[:3]))
    send(client, bad, batch(other, rewritten(entries, 2, entries[0]["entry_hash"])))
    with serving(app) as server:
        yield server


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_cso_finds_the_fleet_in_the_menu_and_sees_the_diverged_chain(
    page: Page, live_server, screen
):
    add_user(live_server.app, "cso")
    login(page, live_server.url, "cso")
    page.get_by_text("Menu").click()  # folded below 900 px: the tablet's too
    page.get_by_role("link", name="Fleet", exact=True).click()  # not "Fleet watch list"
    expect(page.get_by_role("heading", name="Fleet")).to_be_visible()
    aurora = page.locator("tr", has_text="MV Aurora")
    expect(aurora).to_contain_text("Level 2")
    expect(aurora).to_contain_text("20 crew, 3 visitor")
    expect(aurora.get_by_test_id("chain")).to_have_text("OK")
    borealis = page.locator("tr", has_text="MV Borealis")
    expect(borealis.get_by_test_id("chain")).to_have_text("Chain diverged at #2")
    expect(page.get_by_test_id("fleet-alert")).to_contain_text("Chain rewritten on board at #2")
    assert_fits(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"fleet-{screen}.png", full_page=True)
