"""The CSO searches the fleet from the fleet page, at a tablet then on a phone: the person
refused on one ship who then boarded another is marked, and nothing scrolls sideways.

Screenshots at both sizes go to /tmp/shore-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENS, add_user, assert_fits, login
from tests.support.fleet_search import send_fleet
from tests.support.live_server import serving
from tests.support.shore import shore_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.shore]
SHOTS = Path("/tmp/shore-shots")


@pytest.fixture
def live_server(tmp_path):
    """The shore server, CSRF on, with three ships' records."""
    app = shore_app(tmp_path, WTF_CSRF_ENABLED=True)
    send_fleet(app)
    with serving(app) as server:
        yield server


def test_the_cso_finds_a_person_refused_on_one_ship_who_boarded_another(page: Page, live_server):
    add_user(live_server.app, "cso")
    login(page, live_server.url, "cso")
    page.goto(f"{live_server.url}/fleet/")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "fleet-search-box-tablet.png")
    page.get_by_label("Find a person").fill("hans peter mueller")
    page.get_by_role("button", name="Search the fleet").click()
    alert = page.get_by_test_id("refused-elsewhere")
    expect(alert).to_contain_text("refused on MV Aurora")
    expect(alert).to_contain_text("On the watch list; then registered as contractor on MV Borealis")
    expect(page.get_by_test_id("after-refusal").first).to_contain_text("MV Borealis")
    for screen in SCREENS:  # one server, both sizes: the table stacks on the phone
        page.set_viewport_size(SCREENS[screen]["viewport"])
        page.get_by_label("Name or document number").fill("Müller Hans")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_test_id("person")).to_have_count(2)  # him and a namesake, apart
        expect(page.get_by_test_id("refused-elsewhere")).to_have_count(1)
        assert_fits(page)
        page.screenshot(path=SHOTS / f"fleet-search-{screen}.png", full_page=True)
