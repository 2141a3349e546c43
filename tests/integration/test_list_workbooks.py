"""Crew lists as Excel workbooks through the SSO's page and the API, and the crew list exported."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from gangway.services.lists.workbooks import XLSX_TYPE
from tests.integration.test_imports import CREW_FILE, counts, shown
from tests.support.job_workers import jobs
from tests.unit.test_list_workbooks import CREW_HEADER, HANSEN, SANTOS, crew_workbook, workbook

FORMULA = [*SANTOS[:4], "=DATE(1988,11,30)", *SANTOS[5:]]


@pytest.fixture
def sso(auth):
    auth.login("sso")


def check(client, data: bytes, filename: str = "crew.xlsx"):
    return client.post(
        "/sso/lists/crew/preview",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.usefixtures("sso")
def test_the_sso_checks_a_workbook_then_imports_it(app, client):
    data = workbook({"Vessel": [["MV Example"]], "Crew": [CREW_HEADER, HANSEN, SANTOS]})
    checked = check(client, data)
    page = checked.get_data(as_text=True)
    assert "Read from the workbook's sheet <strong>Crew</strong>" in page
    assert shown(checked, "creates") == 2
    number = re.search(r'name="check" value="(\d+)"', page).group(1)
    done = client.post("/sso/lists/crew/import", data={"check": number}, follow_redirects=True)
    assert "List imported: 2 added, 0 updated, 0 unchanged." in done.get_data(as_text=True)
    assert counts(app) == {"crew": 2, "badges": 2}


@pytest.mark.usefixtures("sso")
def test_a_workbook_with_a_formula_is_refused_by_sheet_line_and_column(app, client):
    page = check(client, crew_workbook(HANSEN, FORMULA)).get_data(as_text=True)
    assert "Nothing imported: the list has 1 problem." in page
    assert "<th>Sheet</th>" in page
    assert '<tr data-line="3" data-column="date_of_birth" data-sheet="Crew">' in page
    assert "Cell E3 on sheet &#39;Crew&#39; starts with &#39;=&#39;" in page
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (workbook({"Crew": [CREW_HEADER, HANSEN]}, {"xl/vbaProject.bin": b"\0"}), "crew.xlsx"),
        (crew_workbook(HANSEN), "crew.xlsm"),
    ],
    ids=["vba-project", "xlsm-name"],
)
def test_a_workbook_with_macros_is_refused_at_upload(app, client, data, filename):
    page = check(client, data, filename).get_data(as_text=True)
    assert "macros" in page
    assert "save it as an Excel workbook (.xlsx) or as &#39;CSV UTF-8&#39;." in page
    assert jobs(app) == []  # refused in the request: nothing stored, no job


@pytest.mark.usefixtures("sso")
def test_the_api_takes_a_workbook_and_names_the_sheet(app, client):
    good = client.post(
        "/api/v1/imports/crew?dry_run=1", data=crew_workbook(HANSEN), content_type=XLSX_TYPE
    )
    assert good.status_code == 200
    assert (good.get_json()["created"], good.get_json()["sheet"]) == (1, "Crew")
    bad = client.post(
        "/api/v1/imports/crew", data=crew_workbook(HANSEN, FORMULA), content_type=XLSX_TYPE
    )
    assert bad.status_code == 422
    problems = bad.get_json()["problems"]
    assert [(p["sheet"], p["line"], p["column"]) for p in problems] == [
        ("Crew", 3, "date_of_birth")
    ]
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_the_crew_list_exports_as_a_workbook_with_countries_as_asked(app, client):
    client.post("/api/v1/imports/crew", data=CREW_FILE, content_type="text/csv")
    exported = client.get("/sso/lists/crew/export.xlsx")
    assert exported.mimetype == XLSX_TYPE
    assert exported.headers["Content-Disposition"].endswith('.xlsx"')
    again = check(client, exported.data)
    assert (shown(again, "creates"), shown(again, "updates"), shown(again, "unchanged")) == (
        0,
        0,
        3,
    )
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert [cell.value for cell in sheet[2]][:4] == ["Hansen", "Erik", "Master", "NOR"]

    alpha_2 = client.get("/sso/lists/crew/export.xlsx?countries=alpha-2")
    sheet = load_workbook(io.BytesIO(alpha_2.data)).active
    assert ([c.value for c in sheet[2]][3], [c.value for c in sheet[2]][9]) == ("NO", "NO")
    csv = client.get("/sso/lists/crew/export.csv?countries=alpha-2").get_data(as_text=True)
    assert "Hansen,Erik,Master,NO,1970-01-02,Bergen,M,Passport,NO123456,NO," in csv
    assert client.get("/sso/lists/crew/export.csv?countries=iso").status_code == 400
