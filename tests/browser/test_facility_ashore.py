"""The PFSO ashore opens their facility's page on a phone: the ship that called, its log with
documents masked, the visitor expected at the gate.

Screenshots go to /tmp/fleetwl-shots/ for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gangway.db.models import User
from gangway.db.types import utcnow
from gangway.extensions import db
from tests.browser.conftest import add_user, assert_fits, login
from tests.support.live_server import serving
from tests.support.shore import shore_holding

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.shore]
SHOTS = Path("/tmp/fleetwl-shots")
FACILITY = "Europort Terminal"


def records(now) -> list[tuple[str, dict]]:
    """A call at FACILITY, a crew member who boarded, a visitor registered for the call."""
    iso = lambda at: at.isoformat(timespec="microseconds")  # noqa: E731 - as content.py writes
    call = {"id": 1, "port_name": "Rotterdam", "unlocode": "NLRTM", "facility_name": FACILITY,
            "berth": "EMO 4", "arrived_at": iso(now - timedelta(hours=5)), "departed_at": None,
            "timezone": "Europe/Amsterdam", "share_documents": False}  # fmt: skip
    crew = {"id": 1, "kind": "crew", "family_name": "DIAS", "given_names": "Ana",
            "document_number": "P1234567"}  # fmt: skip
    visitor = {"id": 2, "kind": "contractor", "family_name": "KOWALSKI", "given_names": "Jan",
               "company": "Acme Cranes and Heavy Lift Services", "purpose": "Crane repair",
               "host": "Chief engineer", "document_number": "V7654321"}  # fmt: skip
    badge = {"id": 2, "person_id": 2, "port_call_id": 1, "revoked_at": None,
             "valid_from": iso(now + timedelta(hours=2)),
             "valid_until": iso(now + timedelta(hours=10))}  # fmt: skip
    moved = {"id": 1, "person_id": 1, "port_call_id": 1, "direction": "board",
             "occurred_at": iso(now - timedelta(hours=1)), "purpose": None,
             "person_family_name": "DIAS", "person_given_names": "Ana", "person_kind": "crew",
             "person_company": None, "person_document_number": "P1234567"}  # fmt: skip
    return [("port_call", call), ("person", crew), ("person", visitor), ("badge", badge),
            ("movement", moved)]  # fmt: skip


@pytest.fixture
def live_server(tmp_path):
    """The shore server, CSRF on, holding one ship's call at FACILITY and the PFSO of it."""
    app = shore_holding(tmp_path, records(utcnow()))
    add_user(app, "pfso")
    with app.app_context():
        pfso = db.session.scalars(db.select(User).where(User.username == "pfso")).one()
        pfso.facility_name, pfso.facility_unlocode = FACILITY, "NLRTM"
        db.session.commit()
    with serving(app) as server:
        yield server


@pytest.mark.parametrize("screen", ["phone"], indirect=True)
def test_the_pfso_finds_the_calls_at_their_facility_and_the_visitor_expected(
    page: Page, live_server, screen
):
    login(page, live_server.url, "pfso")
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Calls at my facility").click()
    expect(page.get_by_role("heading", name=f"Calls at {FACILITY}")).to_be_visible()
    visitor = page.get_by_test_id("expected-visitor")
    expect(visitor).to_contain_text("KOWALSKI, Jan")
    expect(visitor.get_by_test_id("document")).to_have_text("••••4321")
    expect(visitor.get_by_test_id("visitor-state")).to_have_text("expected")
    SHOTS.mkdir(exist_ok=True)
    assert_fits(page)
    page.screenshot(path=SHOTS / f"facility-{screen}.png", full_page=True)
    page.get_by_role("link", name="Access log of MV Aurora").click()
    expect(page.get_by_role("heading", name=f"MV Aurora at {FACILITY}")).to_be_visible()
    row = page.locator("tr", has_text="DIAS, Ana")
    expect(row.get_by_test_id("document")).to_have_text("••••4567")
    assert_fits(page)
    page.screenshot(path=SHOTS / f"facility-call-{screen}.png", full_page=True)
