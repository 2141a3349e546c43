"""The PFSO ashore (issue 17 point 5), for real: two ships on SQLite send their records to the
shore on PostgreSQL over HTTP; the PFSO of one facility sees that facility's calls only, masked
as on board, and the visitors a ship registered for its call there."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from gangway.db.models import Person, PortCall, Ship, ShoreRecord
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.services.accounts.accounts import create_user
from gangway.services.people.badges import issue_badge
from tests.conftest import FAST_HASH, NOW, PASSWORD, build_app, dispose
from tests.integration.test_serve import free_port
from tests.support.shore import add_test_ship, shore_app
from tests.support.shore_link import cli, link_to, served

pytestmark = pytest.mark.shore
FACILITY, OTHER = "Europort Terminal", "Maasvlakte Terminal"


@pytest.fixture(scope="module")
def shore(tmp_path_factory):
    """The shore on the test PostgreSQL, with the PFSO of FACILITY (port NLRTM)."""
    app = shore_app(tmp_path_factory.mktemp("shore"))
    with app.app_context():
        pfso = create_user(db.session, "pfso", "pfso", PASSWORD, "PFSO", hash_method=FAST_HASH)
        pfso.facility_name, pfso.facility_unlocode = FACILITY, "NLRTM"
        create_user(db.session, "cso", "cso", PASSWORD, "CSO", hash_method=FAST_HASH)
        db.session.commit()
    yield app
    dispose(app)


def ship_at(tmp_path, shore, facility: str, name: str):
    """A ship on SQLite in port at `facility`, added to the fleet, a crew member aboard."""
    imo, token = add_test_ship(shore, name)
    path = tmp_path / name
    app = build_app(path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path / 'ship.sqlite'}")
    with app.app_context():
        db.session.scalars(select(Ship)).one().imo_number = imo
        call = db.session.scalars(select(PortCall)).one()
        call.facility_name, call.timezone = facility, "Europe/Amsterdam"
        create_user(db.session, "watch", "watch", PASSWORD, "Watch", hash_method=FAST_HASH)
        crew = _person(
            kind="crew", family_name="DIAS", given_names="Ana", document_number="P1234567"
        )
        code = _badge(crew).code
        visitor = _person(
            kind="visitor", family_name="KOWALSKI", given_names="Jan", document_number="V7654321",
            company="Acme Cranes", purpose="Crane repair", host="Chief engineer",
        )  # fmt: skip
        _badge(visitor).port_call_id = call.id  # registered for this call, not aboard yet
        db.session.commit()
        call_id = call.id
    client = app.test_client()
    client.post("/login", data={"username": "watch", "password": PASSWORD})
    client.post("/watch/access-point", data={"access_point": "MAIN-GW"})
    client.post("/watch/scan", data={"code": code, "direction": "board"})
    app.shore_token, app.imo, app.call_id = token, imo, call_id
    return app


def _person(**fields) -> Person:
    person = Person(**fields)
    db.session.add(person)
    db.session.flush()
    return person


def _badge(person: Person):
    return issue_badge(
        db.session, person, valid_from=NOW, valid_until=NOW.replace(year=NOW.year + 1),
        private_key=signing_key(), key_id=KEY_ID, now=NOW,
    )  # fmt: skip


def test_the_pfso_ashore_sees_their_facilitys_calls_masked_and_expected_visitors(tmp_path, shore):
    here = ship_at(tmp_path, shore, FACILITY, "MV Here")
    there = ship_at(tmp_path, shore, OTHER, "MV There")
    with served(shore, free_port()) as url:
        for ship in (here, there):
            link_to(ship, url)
            assert cli(ship, "shore-link", "run", "--once").exit_code == 0
        pfso = shore.test_client()
        landing = pfso.post("/login", data={"username": "pfso", "password": PASSWORD})
        assert landing.location == "/facility/"  # ashore their home is the facility's calls
        page = pfso.get("/facility/").text
        assert "Access log</a>" not in page  # the ship's own log has no ship ashore
        assert f'data-imo="{here.imo}"' in page
        assert f'data-imo="{there.imo}"' not in page  # another facility's call: not disclosed
        assert "KOWALSKI, Jan" in page
        assert "Acme Cranes" in page
        assert "expected" in page
        assert "••••4321" in page
        assert "V7654321" not in page
        log = pfso.get(f"/facility/{here.imo}/calls/{here.call_id}")
        assert "DIAS, Ana" in log.text
        assert "••••4567" in log.text
        assert "P1234567" not in log.text
        assert pfso.get(f"/facility/{there.imo}/calls/{there.call_id}").status_code == 404
        api = pfso.get("/api/v1/facility/visitors").json  # the same for the facility's gate
        assert [(v["name"], v["document_number"], v["state"]) for v in api] == [
            ("KOWALSKI, Jan", "••••4321", "expected")
        ]
        assert [c["imo"] for c in pfso.get("/api/v1/facility/calls").json] == [here.imo]
        there_log = f"/api/v1/facility/calls/{there.imo}/{there.call_id}/log"
        assert pfso.get(there_log).status_code == 404

        with here.app_context():  # the SSO shares documents with the facility for this call
            db.session.get(PortCall, here.call_id).share_documents = True
            db.session.commit()
        assert cli(here, "shore-link", "run", "--once").exit_code == 0
        shared = pfso.get(f"/facility/{here.imo}/calls/{here.call_id}").text
        assert "P1234567" in shared
        rows = pfso.get(f"/api/v1/facility/calls/{here.imo}/{here.call_id}/log").json["rows"]
        assert [r["document_number"] for r in rows] == ["P1234567"]

    with shore.app_context():  # records ingested before shore_record existed: filled again
        db.session.execute(delete(ShoreRecord))
        db.session.commit()
    assert "No ship of the fleet has called here yet." in pfso.get("/facility/").text
    projected = cli(shore, "shore", "project")
    assert projected.exit_code == 0, projected.output
    assert f'data-imo="{here.imo}"' in pfso.get("/facility/").text

    cso = shore.test_client()
    cso.post("/login", data={"username": "cso", "password": PASSWORD})
    assert cso.get("/facility/").status_code == 403
    assert cso.get("/api/v1/facility/visitors").status_code == 403
    paths = cso.get("/api/v1/openapi.json").json["paths"]
    assert {"/facility/calls", "/facility/calls/{imo}/{call_id}/log", "/facility/visitors"} <= set(
        paths
    )
    for ship in (here, there):
        dispose(ship)
