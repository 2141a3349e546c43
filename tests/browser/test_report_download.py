"""The SSO opens a port call's report and downloads its PDF: both are made by a worker process,
a page shows the work under way, then opens the report or offers the file; tablet and phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
SHOTS = Path("/tmp/jobq-shots")


@pytest.fixture
def live_server(live_server_with_workers):
    """The report and its files are made by real worker processes."""
    return live_server_with_workers


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_sso_sees_the_report_being_made_then_downloads_it(page, log_in, live_server, screen):
    hold = Path(live_server.app.config["JOBS_HOLD"])
    log_in(page, "sso")
    page.goto(f"{live_server.url}/reports/port-calls/1")  # the page too is made by a worker
    report = page.get_by_role("heading", name="End-of-port-call security report")
    expect(report).to_be_visible(timeout=30_000)  # opened by itself when made
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"report-{screen}.png")

    hold.touch()  # the PDF's job now waits mid-way until the test lets it go on
    page.get_by_role("link", name="PDF", exact=True).tap()

    expect(page.get_by_role("heading", name="Preparing the report PDF")).to_be_visible()
    expect(page.get_by_text("Making the report PDF…")).to_be_visible()
    assert "the gangway is not slowed" in page.locator("#jobs-progress").inner_text()
    page.screenshot(path=SHOTS / f"making-{screen}.png")

    os.remove(hold)  # the worker goes on; the page, polling, offers the file
    link = page.get_by_role("link", name="Download port-call-1-report.pdf")
    expect(link).to_be_visible(timeout=30_000)
    assert link.bounding_box()["height"] >= 44
    assert (
        page.evaluate("document.documentElement.scrollWidth")
        <= SCREENS[screen]["viewport"]["width"]
    )
    page.screenshot(path=SHOTS / f"ready-{screen}.png")
    with page.expect_download() as download:
        link.tap()
    assert download.value.suggested_filename == "port-call-1-report.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
