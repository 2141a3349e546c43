"""The CSO's fleet watch list (issue 17 point 6), for real: the shore on PostgreSQL served over
HTTP, a ship on SQLite whose sender takes the list at each contact (`shore-link run --once`)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.db.models import Movement, Person, Refusal, User, WatchListEntry
from gangway.extensions import db
from gangway.services.accounts.accounts import create_user
from tests.conftest import FAST_HASH, PASSWORD, dispose
from tests.integration.test_serve import free_port
from tests.support.shore import shore_app
from tests.support.shore_link import badge_code, cli, fleet_ship, imo_of, link_to, served

pytestmark = pytest.mark.shore
DOCUMENT = "X1234567"
REASON = "Stowaway attempt at Rotterdam"


@pytest.fixture(scope="module")
def shore(tmp_path_factory):
    """The shore on the test PostgreSQL, with a CSO; each test adds a ship of its own."""
    app = shore_app(tmp_path_factory.mktemp("shore"))
    with app.app_context():
        create_user(db.session, "cso", "cso", PASSWORD, "Company SO", hash_method=FAST_HASH)
        db.session.commit()
    yield app
    dispose(app)


@pytest.fixture
def ship(tmp_path, shore):
    """A ship on SQLite, added to the fleet, with a crew member whose passport is DOCUMENT."""
    app = fleet_ship(tmp_path, shore, batch=None)
    yield app
    dispose(app)


def logged_in(app, role: str):
    client = app.test_client()
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.username == role)) is None:
            create_user(db.session, role, role, PASSWORD, role, hash_method=FAST_HASH)
            db.session.commit()
    assert client.post("/login", data={"username": role, "password": PASSWORD}).status_code == 302
    if role in ("watch", "sso"):
        client.post("/watch/access-point", data={"access_point": "MAIN-GW"})
    return client


def crew_badge(app) -> str:
    with app.app_context():
        person = Person(
            kind="crew", family_name="MORGAN", given_names="Henry", document_number=DOCUMENT
        )
        code = badge_code(db.session, person)
        db.session.commit()
        return code


def fleet_entries_on_board(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                WatchListEntry.fleet_entry_id,
                WatchListEntry.document_number,
                WatchListEntry.removed_at.is_not(None),
            ).where(WatchListEntry.source == "fleet")
        ).all()
        db.session.remove()
        return [tuple(r) for r in rows]


def test_the_cso_adds_an_entry_the_ship_refuses_it_naming_the_fleet_list_and_a_removal_lifts_it(
    ship, shore
):
    code = crew_badge(ship)
    cso = logged_in(shore, "cso")
    added = cso.post(
        "/fleet/watch-list/",
        data={"document_number": DOCUMENT, "reason": REASON, "date_of_birth": "1980-04-30"},
    )
    assert added.status_code == 302
    assert DOCUMENT in cso.get("/fleet/watch-list/").text
    with served(shore, free_port()) as url:
        link_to(ship, url)
        assert cli(ship, "shore-link", "run", "--once").exit_code == 0
        [(entry_id, document, removed)] = fleet_entries_on_board(ship)
        assert (document, removed) == (DOCUMENT, False)
        held = cso.get("/fleet/watch-list/").text  # the ship says so with its records
        assert f'data-imo="{imo_of(ship)}"' in held
        assert "Up to date (version" in held

        watch = logged_in(ship, "watch")
        watch.post("/watch/scan", data={"code": code, "direction": "board"})
        with ship.app_context():
            refusal = db.session.scalars(select(Refusal)).one()
            assert refusal.reason_code == "watch_listed"
            assert refusal.reason_message.startswith("On the fleet watch list (CSO ashore)")
            assert REASON in refusal.reason_message

        sso = logged_in(ship, "sso")  # read-only on board: the SSO sees it, cannot remove it
        page = sso.get("/sso/watch-list/").text
        assert "Fleet list (CSO ashore)" in page
        assert "Only the CSO can remove it" in page
        with ship.app_context():
            local_id = db.session.scalar(select(WatchListEntry.id))
        refused = sso.post(f"/sso/watch-list/{local_id}/remove")
        assert refused.status_code == 400
        assert "only the CSO ashore" in refused.text
        assert fleet_entries_on_board(ship) == [(entry_id, DOCUMENT, False)]

        removed = cso.post(f"/api/v1/fleet/watch-list/{entry_id}/remove")
        assert removed.status_code == 200
        assert removed.json["removed"] is True
        assert "1 change to take at its next contact" in cso.get("/fleet/watch-list/").text
        assert cli(ship, "shore-link", "run", "--once").exit_code == 0
    assert fleet_entries_on_board(ship) == [(entry_id, DOCUMENT, True)]
    assert f"Up to date (version {removed.json['version']})" in cso.get("/fleet/watch-list/").text
    watch.post("/watch/scan", data={"code": code, "direction": "board"})
    with ship.app_context():  # boarded this time, no second refusal
        assert db.session.scalars(select(Movement.person_document_number)).all() == [DOCUMENT]
        assert db.session.scalar(select(db.func.count()).select_from(Refusal)) == 1
    assert cli(ship, "verify-log").exit_code == 0  # taken and lifted through the chain on board
    assert cli(shore, "verify-log").exit_code == 0  # added and removed through the shore's


def test_the_ships_ask_gives_changes_since_its_version_and_bad_asks_change_nothing(ship, shore):
    cso = logged_in(shore, "cso")
    before = cso.get("/api/v1/fleet/watch-list").json["version"]
    bad = cso.post("/api/v1/fleet/watch-list", json={"family_name": "SMITH", "reason": "x"})
    assert bad.status_code == 400
    assert "both family and given names" in bad.json["message"]
    born = cso.post(
        "/api/v1/fleet/watch-list",
        json={
            "family_name": "SMITH",
            "given_names": "Jo",
            "date_of_birth": "2999-01-01",
            "reason": "x",
        },
    )
    assert born.status_code == 400
    assert born.json["field"] == "date_of_birth"
    assert cso.get("/api/v1/fleet/watch-list").json["version"] == before  # neither kept
    first = cso.post(
        "/api/v1/fleet/watch-list", json={"document_number": "AB-99 11 22", "reason": "Fraud"}
    )
    second = cso.post(
        "/api/v1/fleet/watch-list",
        json={"family_name": "Smith", "given_names": "Jo", "reason": "Theft"},
    )
    v1, v2 = first.json["version"], second.json["version"]
    assert v2 == v1 + 1
    ship_api = shore.test_client()
    auth = {"Authorization": f"Bearer {ship.shore_token}"}
    assert ship_api.get("/api/v1/shore/watch-list").status_code == 401
    assert ship_api.get("/api/v1/shore/watch-list?since=-1", headers=auth).status_code == 400
    since = ship_api.get(f"/api/v1/shore/watch-list?since={v1}", headers=auth).json
    assert (since["version"], since["full"]) == (v2, False)
    assert [e["id"] for e in since["entries"]] == [second.json["id"]]
    everything = ship_api.get("/api/v1/shore/watch-list?since=0", headers=auth).json
    assert everything["full"] is True
    assert {first.json["id"], second.json["id"]} <= {e["id"] for e in everything["entries"]}
    paths = ship_api.get("/api/v1/openapi.json").get_json()["paths"]
    documented = {"/fleet/watch-list", "/fleet/watch-list/{entry_id}/remove", "/shore/watch-list"}
    assert documented <= set(paths)
    assert not documented & set(ship.test_client().get("/api/v1/openapi.json").json["paths"])
