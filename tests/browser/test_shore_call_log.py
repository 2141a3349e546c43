"""The CSO ashore goes from the fleet to a ship, its port call's access log and its report, at a
tablet then a phone (issue 17 point 4): the same pages as on board, read only.

Screenshots at both sizes go to /tmp/shorelog-shots/ for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gangway.db.types import utcnow
from tests.browser.conftest import SCREENS, add_user, assert_fits, login
from tests.support.live_server import serving
from tests.support.shore import shore_holding

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.shore]
SHOTS = Path("/tmp/shorelog-shots")


def records(now) -> list[tuple[str, dict]]:
    """A call at Rotterdam, the main gangway, a crew member who boarded, a code refused."""
    iso = lambda at: at.isoformat(timespec="microseconds")  # noqa: E731 - as content.py writes
    call = {"id": 7, "port_name": "Rotterdam", "unlocode": "NLRTM", "berth": "EMO 4",
            "facility_name": "Europort Terminal", "arrived_at": iso(now - timedelta(hours=5)),
            "departed_at": None, "timezone": "Europe/Amsterdam",
            "share_documents": False}  # fmt: skip
    point = {"id": 1, "code": "MAIN-GW", "name": "Main gangway"}
    moved = {"id": 1, "person_id": 1, "port_call_id": 7, "direction": "board", "method": "scan",
             "occurred_at": iso(now - timedelta(hours=1)), "purpose": None, "searched": False,
             "access_point_id": 1, "escort_id": None, "person_family_name": "DIAS",
             "person_given_names": "Ana", "person_kind": "crew", "person_company": None,
             "person_document_number": "P1234567"}  # fmt: skip
    refused = {"id": 1, "port_call_id": 7, "direction": "board", "method": "scan",
               "occurred_at": iso(now - timedelta(minutes=30)), "person_id": None,
               "access_point_id": 1, "reason_code": "invalid_badge", "reason_codes":
               "invalid_badge", "reason_message": "Not a badge of this ship. Refuse.",
               "purpose": None, "person_family_name": None}  # fmt: skip
    return [("port_call", call), ("access_point", point), ("movement", moved),
            ("refusal", refused)]  # fmt: skip


@pytest.fixture
def live_server(tmp_path):
    """The shore server, CSRF on, holding one ship's call and the CSO."""
    app = shore_holding(tmp_path, records(utcnow()))
    add_user(app, "cso")
    with serving(app) as server:
        yield server


def fits_both_screens(page: Page, name: str) -> None:
    """Check the page at the tablet's then the phone's width (no reload: the layout reflows)."""
    for screen, size in SCREENS.items():
        page.set_viewport_size(size["viewport"])
        assert_fits(page)
        page.screenshot(path=SHOTS / f"{name}-{screen}.png", full_page=True)


def test_the_cso_opens_a_ships_call_log_and_report_from_the_fleet(page: Page, live_server):
    SHOTS.mkdir(exist_ok=True)
    login(page, live_server.url, "cso")  # the CSO's home is the fleet
    page.get_by_role("link", name="Port calls of MV Aurora").click()
    expect(page.get_by_role("heading", name="MV Aurora")).to_be_visible()
    fits_both_screens(page, "ship")
    page.get_by_role("link", name="Access log of Rotterdam").click()
    expect(page.get_by_role("heading", name="MV Aurora at Europort Terminal")).to_be_visible()
    row = page.locator("tr", has_text="DIAS, Ana")
    expect(row.get_by_test_id("document")).to_have_text("P1234567")  # the CSO: not masked
    expect(page.locator("tr", has_text="Not a badge of this ship")).to_be_visible()
    fits_both_screens(page, "log")
    page.get_by_label("Outcome").select_option("refused")  # the on-board page's filters
    expect(page.get_by_test_id("log-total")).to_have_text("1")
    expect(page.locator("tr", has_text="DIAS, Ana")).to_have_count(0)
    page.get_by_test_id("report-link").click()
    expect(page.get_by_role("heading", name="End-of-port-call security report")).to_be_visible()
    expect(page.get_by_role("button", name="Sign off")).to_have_count(0)  # read only ashore
    expect(page.get_by_test_id("report-pdf")).to_be_visible()
    fits_both_screens(page, "report")
