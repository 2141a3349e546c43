"""Any port call's access log and report ashore (issue 17 point 4), for real: a ship on SQLite
sends its records to the shore on PostgreSQL over HTTP; the CSO reads the call's log and report
as the ship recorded them, the PFSO ashore their facility's call masked, another PFSO nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.background.worker import run_inline
from gangway.db.models import Job, Person, PortCall
from gangway.extensions import db
from gangway.services.accounts.accounts import create_user
from gangway.services.reports.port_call_report import build_report
from tests.conftest import FAST_HASH, PASSWORD, dispose
from tests.integration.test_serve import free_port
from tests.support.shore import shore_app
from tests.support.shore_link import badge_code, cli, fleet_ship, imo_of, link_to, served

pytestmark = pytest.mark.shore
FACILITY, OTHER = "Europort Terminal", "Maasvlakte Terminal"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """The shore with a CSO, the PFSO of FACILITY and one of OTHER, and a ship at FACILITY
    that boarded a crew member and refused a code, its records sent ashore."""
    shore = shore_app(tmp_path_factory.mktemp("shore"))
    with shore.app_context():
        for name, facility in (("cso", None), ("pfso", FACILITY), ("elsewhere", OTHER)):
            role = "cso" if facility is None else "pfso"
            user = create_user(db.session, name, role, PASSWORD, name, hash_method=FAST_HASH)
            user.facility_name = facility
        db.session.commit()
    ship = fleet_ship(tmp_path_factory.mktemp("ship"), shore, "MV Here")
    with ship.app_context():
        call = db.session.scalars(select(PortCall)).one()
        call.facility_name, call.timezone = FACILITY, "Europe/Amsterdam"
        for role in ("watch", "sso"):
            create_user(db.session, role, role, PASSWORD, role, hash_method=FAST_HASH)
        dias = Person(kind="crew", family_name="DIAS", given_names="Ana")
        dias.document_number = "P1234567"
        code = badge_code(db.session, dias)
        db.session.commit()
        ship.call_id = call.id
    ship.imo = imo_of(ship)
    watch = ship.test_client()
    watch.post("/login", data={"username": "watch", "password": PASSWORD})
    watch.post("/watch/access-point", data={"access_point": "MAIN-GW"})
    watch.post("/watch/scan", data={"code": code, "direction": "board"})
    watch.post("/watch/scan", data={"code": "NOT-A-BADGE", "direction": "board"})  # refused
    with served(shore, free_port()) as url:
        link_to(ship, url)
        assert cli(ship, "shore-link", "run", "--once").exit_code == 0
    yield shore, ship
    dispose(ship)
    dispose(shore)


def logged_in(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    return client


def test_the_cso_reads_a_ships_call_log_and_report_as_the_ship_recorded_them(fleet):
    shore, ship = fleet
    cso = logged_in(shore, "cso")
    assert f'href="/ships/{ship.imo}/"' in cso.get("/fleet/").text  # the ship opens its calls
    calls = cso.get(f"/ships/{ship.imo}/").text
    log_url = f"/ships/{ship.imo}/log?port_call={ship.call_id}"
    assert log_url in calls
    log = cso.get(log_url)
    assert log.status_code == 200
    assert "DIAS, Ana" in log.text
    assert "P1234567" in log.text  # the CSO reads documents whole, as the ship's officers do
    assert 'data-outcome="refused"' in log.text
    refused = cso.get(log_url + "&outcome=refused").text  # the on-board page's filters
    assert "DIAS, Ana" not in refused
    assert 'data-outcome="refused"' in refused
    bad = cso.get(log_url + "&direction=sideways")
    assert bad.status_code == 400
    assert "Direction must be one of" in bad.text
    assert "Sign off" not in log.text

    with ship.app_context():  # the report on board: its records hash is what both must show
        on_board = build_report(db.session, ship.call_id)
    report = cso.get(f"/ships/{ship.imo}/calls/{ship.call_id}/report")
    assert report.status_code == 200
    assert on_board.content_hash in report.text
    assert "End-of-port-call security report · MV Here" in report.text
    assert "Sign off" not in report.text  # read only: the sign-off and the mail are the ship's
    assert "E-mail to CSO" not in report.text
    shore.config["JOBS"] = "process"  # as served: a worker renders the page, as on board
    try:
        queued = cso.get(f"/ships/{ship.imo}/calls/{ship.call_id}/report")
        assert queued.status_code == 202
        with shore.app_context():  # the worker's part, run here on the job queued
            run_inline(shore, db.session.get(Job, int(queued.location.split("job=")[1])))
        made = cso.get(queued.location)
        assert made.status_code == 200
        assert on_board.content_hash in made.text
        assert "DIAS, Ana" in made.text
    finally:
        shore.config["JOBS"] = None
    pdf = cso.get(f"/ships/{ship.imo}/calls/{ship.call_id}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    assert cso.get(f"/ships/{ship.imo}/calls/999/report").status_code == 404
    assert cso.get(f"/ships/{ship.imo}/calls/{10**20}/report.pdf").status_code == 404
    assert cso.get(f"/ships/{ship.imo}/log?port_call=1e3").status_code == 404
    assert cso.get("/ships/9999998/log").status_code == 404


def test_the_pfso_ashore_reads_their_facilitys_call_masked_and_another_pfso_nothing(fleet):
    shore, ship = fleet
    pfso = logged_in(shore, "pfso")
    page = pfso.get(f"/facility/{ship.imo}/calls/{ship.call_id}")  # their call: the same page
    assert page.status_code == 200
    assert 'id="pfso-filters"' in page.text
    assert "••••4567" in page.text
    assert "P1234567" not in page.text
    report = pfso.get(f"/ships/{ship.imo}/calls/{ship.call_id}/report")
    assert report.status_code == 200
    shore.config["JOBS"] = "process"  # queued for a worker: long filters still make one job
    try:
        asked = f"port_call={ship.call_id}&purpose=" + "x" * 200
        assert pfso.get(f"/ships/{ship.imo}/log.csv?{asked}").status_code == 202
    finally:
        shore.config["JOBS"] = None
    csv = pfso.get(f"/ships/{ship.imo}/log.csv?port_call={ship.call_id}&kind=crew")
    assert csv.status_code == 200
    assert "DIAS, Ana" in csv.text
    assert "••••4567" in csv.text  # the export is masked as the page is
    assert "P1234567" not in csv.text
    assert pfso.get(f"/ships/{ship.imo}/").status_code == 403  # the fleet's calls are the CSO's
    elsewhere = logged_in(shore, "elsewhere")
    for url in (
        f"/ships/{ship.imo}/log?port_call={ship.call_id}",
        f"/ships/{ship.imo}/log",
        f"/facility/{ship.imo}/calls/{ship.call_id}",
        f"/ships/{ship.imo}/calls/{ship.call_id}/report",
        f"/ships/{ship.imo}/calls/{ship.call_id}/report.pdf",
        f"/ships/{ship.imo}/log.csv?port_call={ship.call_id}",
        f"/api/v1/movements?ship={ship.imo}&port_call={ship.call_id}",
    ):
        assert elsewhere.get(url).status_code == 404, url


def test_the_movements_api_ashore_answers_the_ships_rows_for_a_ship(fleet):
    shore, ship = fleet
    sso = logged_in(ship, "sso")
    on_board = sso.get(f"/api/v1/movements?port_call={ship.call_id}").json
    cso = logged_in(shore, "cso")
    ashore = cso.get(f"/api/v1/movements?ship={ship.imo}&port_call={ship.call_id}")
    assert ashore.status_code == 200, ashore.text
    assert ashore.json["rows"] == on_board["rows"]  # the same rows, in the same shape
    assert ashore.json["port_call"] == on_board["port_call"]
    assert ashore.json["total"] == 2
    assert cso.get(f"/api/v1/movements?ship={ship.imo}").json["rows"] == on_board["rows"]
    crew = cso.get(f"/api/v1/movements?ship={ship.imo}&kind=crew").json
    assert [r["name"] for r in crew["rows"]] == ["DIAS, Ana"]

    bad = cso.get("/api/v1/movements?direction=sideways&page=0")
    assert bad.status_code == 400
    assert {p["field"] for p in bad.json["problems"]} == {"ship", "direction", "page"}
    assert cso.get("/api/v1/movements?ship=9999998").status_code == 404
    assert cso.get(f"/api/v1/movements?ship={ship.imo}&port_call=999").status_code == 404

    pfso = logged_in(shore, "pfso")
    rows = pfso.get(f"/api/v1/movements?ship={ship.imo}").json["rows"]
    assert [r["document_number"] for r in rows if r["kind"] == "crew"] == ["••••4567"]
    paths = cso.get("/api/v1/openapi.json").json["paths"]
    assert paths["/movements"]["get"]["parameters"][0]["name"] == "ship"
