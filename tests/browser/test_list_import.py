"""The SSO checks a crew list, then imports it: a worker process reads and writes the list while
the page shows the work under way; the confirm imports the file that was checked, once, however
often it is tapped; tablet and phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS
from tests.integration.test_imports import CREW_FILE
from tests.support.job_workers import jobs

pytestmark = [pytest.mark.browser]
SHOTS = Path("/tmp/list-import-shots")


@pytest.fixture
def live_server(live_server_with_workers):
    """Lists are checked and imported by real worker processes."""
    return live_server_with_workers


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_sso_sees_the_check_and_the_import_under_way_then_the_list(
    page, log_in, live_server, screen, tmp_path
):
    hold = Path(live_server.app.config["JOBS_HOLD"])
    crew_csv = tmp_path / "crew.csv"
    crew_csv.write_text(CREW_FILE)
    SHOTS.mkdir(exist_ok=True)
    log_in(page, "sso")
    page.goto(f"{live_server.url}/sso/lists/crew")

    hold.touch()  # the worker's jobs wait mid-way until the test lets them go on
    page.get_by_label("List to check").set_input_files(crew_csv)
    page.get_by_role("button", name="Check the list").tap()
    expect(page.get_by_text("Checking the list…")).to_be_visible()
    assert "the gangway is not slowed" in page.locator("#lists-preview").inner_text()
    page.screenshot(path=SHOTS / f"checking-{screen}.png")

    os.remove(hold)  # the page, polling, shows what the list would do
    button = page.get_by_role("button", name="Import: 3 new, 0 updated")
    expect(button).to_be_visible(timeout=30_000)
    assert page.get_by_test_id("creates").inner_text() == "3"
    assert button.bounding_box()["height"] >= 44
    width = SCREENS[screen]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"checked-{screen}.png")

    hold.touch()
    button.tap()
    expect(page.get_by_text("Importing the list…")).to_be_visible()
    page.screenshot(path=SHOTS / f"importing-{screen}.png")
    os.remove(hold)  # done: the list page, with what changed
    expect(page.get_by_text("List imported: 3 added, 0 updated, 0 unchanged.")).to_be_visible(
        timeout=30_000
    )
    assert page.get_by_test_id("list-count").inner_text() == "3"
    page.screenshot(path=SHOTS / f"imported-{screen}.png")
    assert [j.status for j in jobs(live_server.app)] == ["done", "done"]  # a check, an import


def test_a_double_tapped_import_imports_once(page, log_in, live_server, tmp_path):
    hold = Path(live_server.app.config["JOBS_HOLD"])
    crew_csv = tmp_path / "crew.csv"
    crew_csv.write_text(CREW_FILE)
    log_in(page, "sso")
    page.goto(f"{live_server.url}/sso/lists/crew")
    page.get_by_label("List to check").set_input_files(crew_csv)
    page.get_by_role("button", name="Check the list").tap()
    button = page.get_by_role("button", name="Import: 3 new, 0 updated")
    expect(button).to_be_visible(timeout=30_000)

    hold.touch()
    form = page.locator("#lists-preview form")
    # Gloves: the button is hit twice before the page answers (the second as a plain submit).
    form.evaluate("f => { f.requestSubmit(); f.submit(); }")
    os.remove(hold)
    expect(page.get_by_text("List imported: 3 added")).to_be_visible(timeout=30_000)
    imports = [j for j in jobs(live_server.app) if ":import:" in j.key]
    assert len(imports) == 1
    assert page.get_by_test_id("list-count").inner_text() == "3"
