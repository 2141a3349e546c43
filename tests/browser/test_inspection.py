"""A port state control officer reads the ship's records on a phone with the SSO's code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS, add_user, assert_fits, issue, login
from tests.conftest import PASSWORD
from tests.integration.test_security_report import PARTICULARS

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("GANGWAY_SHOTS", "/tmp/psc-shots"))


def keep_records(app, code: str) -> None:
    """Record the particulars and a boarding through the app (not a person's view here)."""
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False  # no browser request runs meanwhile
    try:
        client.post("/login", data={"username": add_user(app, "watch"), "password": PASSWORD})
        client.post("/watch/access-point", data={"access_point": "MAIN-GW"})
        scanned = client.post("/watch/scan", data={"code": code, "direction": "board"})
        assert scanned.status_code == 302  # back to the scan page: recorded
        assert "/login" not in scanned.headers["Location"]
        client.post("/login", data={"username": add_user(app, "sso"), "password": PASSWORD})
        particulars = {**PARTICULARS, "certificate_expires_on": "2027-06-30"}
        assert client.post("/sso/particulars/", data=particulars).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_the_officer_types_the_code_on_a_phone_and_reads_until_the_sso_revokes(
    browser, live_server
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    keep_records(live_server.app, issue(live_server.app, document_number="P12345678"))
    tablet = browser.new_context(**SCREENS["tablet"])
    phone = browser.new_context(**SCREENS["phone"])
    try:
        sso = tablet.new_page()
        login(sso, live_server.url, "sso")
        sso.locator("#nav-menu summary").click()
        sso.get_by_role("link", name="Inspection access").click()
        sso.get_by_label("For whom").fill("J. Smith, port state control")
        sso.get_by_role("button", name="Issue a code and QR").click()
        code = sso.get_by_test_id("inspection-code").inner_text()
        expect(sso.get_by_test_id("inspection-qr")).to_be_visible()
        assert_fits(sso)
        sso.screenshot(path=SHOTS / "sso-issue-tablet.png", full_page=True)

        officer = phone.new_page()
        officer.goto(f"{live_server.url}/inspect")
        officer.get_by_label("Code").press_sequentially(code.lower().replace("-", " "))
        officer.get_by_role("button", name="Open the records").click()
        expect(officer.get_by_role("heading", name="Certificate and ship")).to_be_visible()
        expect(officer.get_by_test_id("certificate")).to_contain_text("DNV for Liberia")
        expect(officer.get_by_test_id("level-now")).to_contain_text("Level 1")
        assert_fits(officer)
        officer.screenshot(path=SHOTS / "officer-certificate-phone.png", full_page=True)
        officer.get_by_role("link", name="Last ten calls").click()
        expect(officer.get_by_test_id("calls")).to_contain_text("Rotterdam")
        assert_fits(officer)
        officer.screenshot(path=SHOTS / "officer-calls-phone.png", full_page=True)
        officer.get_by_role("link", name="Access log of this call").click()
        expect(officer.get_by_test_id("log-document")).to_have_text("•••••5678")
        assert_fits(officer)
        officer.screenshot(path=SHOTS / "officer-log-phone.png", full_page=True)

        sso.once("dialog", lambda dialog: dialog.accept())
        sso.get_by_test_id("revoke-inspection").click()
        expect(sso.get_by_test_id("notice")).to_contain_text("revoked")
        officer.get_by_role("link", name="Security levels").click()
        expect(officer.get_by_test_id("ended-message")).to_have_text(
            "This inspection access has ended: ask the SSO for a new code."
        )
        officer.screenshot(path=SHOTS / "officer-ended-phone.png", full_page=True)
    finally:
        tablet.close()
        phone.close()
