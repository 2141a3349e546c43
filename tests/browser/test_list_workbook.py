"""The SSO checks a crew list kept as an Excel workbook with a formula in it: the problem is shown
by sheet, line and column, nothing is imported, and the page fits the screen; tablet and phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENS
from tests.integration.test_list_workbooks import FORMULA
from tests.unit.test_list_workbooks import CREW_HEADER, HANSEN, workbook

pytestmark = [pytest.mark.browser]
SHOTS = Path("/tmp/xlsx-shots")


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_sso_sees_a_workbooks_problem_by_sheet_line_and_column(
    page, log_in, live_server, screen, tmp_path
):
    crew_xlsx = tmp_path / "crew.xlsx"
    crew_xlsx.write_bytes(
        workbook({"Notes": [["MV Example"]], "Crew": [CREW_HEADER, HANSEN, FORMULA]})
    )
    SHOTS.mkdir(exist_ok=True)
    log_in(page, "sso")
    page.goto(f"{live_server.url}/sso/lists/crew")
    expect(page.get_by_text("or an Excel workbook (.xlsx, without macros)")).to_be_visible()

    page.get_by_label("List to check").set_input_files(crew_xlsx)
    page.get_by_role("button", name="Check the list").tap()
    expect(page.get_by_text("Nothing imported: the list has 1 problem.")).to_be_visible()
    problems = page.get_by_test_id("problems")
    expect(problems.locator("thead")).to_have_text("SheetLineColumnProblem")
    row = problems.locator("tbody tr")
    expect(row.locator("td").nth(0)).to_have_text("Crew")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row.locator("td").nth(2)).to_have_text("date_of_birth")
    expect(row.locator("td").nth(3)).to_contain_text("Cell E3 on sheet 'Crew' starts with '='")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    width = SCREENS[screen]["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"refused-{screen}.png", full_page=True)
