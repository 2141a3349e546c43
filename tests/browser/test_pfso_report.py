"""The PFSO goes from the access log to the port call's report and reads every refusal with its
follow-up in plain words; long texts wrap inside the report on a tablet and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gangway.db.models import User
from gangway.extensions import db
from tests.browser.conftest import SCREENS, add_user, login
from tests.integration.report_fixtures import add_awkward_call

pytestmark = [pytest.mark.browser, pytest.mark.postgres]  # also run on PostgreSQL
SHOTS = Path("/tmp/reports-shots")
# The report's cells whose text is wider than the cell (it would show over the next one)
SPILLING = """[...document.querySelectorAll('.report td, .report th')]
    .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
    .map(cell => cell.textContent.slice(0, 40))"""


@pytest.fixture
def pfso_call(live_server):
    """Call 1 at Euromax with awkward records; a PFSO at Euromax."""
    app = live_server.app
    add_user(app, "pfso")
    with app.app_context():
        add_awkward_call(db.session)
        user = db.session.scalars(select(User).where(User.username == "pfso")).one()
        user.facility_name, user.facility_unlocode = "Euromax", "NLRTM"
        db.session.commit()
    return live_server


def sideways(page, selector: str) -> bool:
    """Tell whether an element is wider than what it shows (its content spills sideways)."""
    script = "s => (e => e.scrollWidth > e.clientWidth + 1)(document.querySelector(s))"
    return page.evaluate(script, selector)


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_pfso_opens_the_report_from_the_log(page, pfso_call, screen):
    login(page, pfso_call.url, "pfso")
    page.goto(f"{pfso_call.url}/pfso/log")
    link = page.get_by_test_id("report-link")
    expect(link).to_have_text("Port call report")
    assert link.bounding_box()["height"] >= 44
    SHOTS.mkdir(exist_ok=True)
    link.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"pfso-log-{screen}.png")

    link.tap()
    expect(page.get_by_role("heading", name="End-of-port-call security report")).to_be_visible()
    page.wait_for_load_state("load")  # measured below: the report's stylesheet must be in
    refusals = page.locator("#reports-refusals")
    expect(refusals.get_by_role("heading")).to_have_text("Refusals and their follow-up (3)")
    rows = refusals.get_by_test_id("report-refusal")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Not a badge of this ship")
    expect(rows.nth(0)).to_contain_text("Not acknowledged yet")
    expect(rows.nth(1)).to_contain_text("Response: Sent ashore to renew the badge at the office")
    expect(rows.nth(2)).to_contain_text("Declined to wait for an escort")
    expect(page.locator("article.report")).not_to_contain_text("unknown_code")
    expect(page.locator("article.report")).not_to_contain_text("port_state")
    width = SCREENS[screen]["viewport"]["width"]
    for row in (rows.nth(i) for i in range(3)):
        box = row.bounding_box()
        assert box["x"] + box["width"] <= width  # long purposes and companies wrap
    assert not sideways(page, "#reports-refusals")
    assert not sideways(page, "article.report")  # wide tables scroll inside their own box
    assert page.evaluate(SPILLING) == []  # no text drawn over the next cell
    refusals.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"report-refusals-{screen}.png")
    page.screenshot(path=SHOTS / f"report-{screen}-full.png", full_page=True)
