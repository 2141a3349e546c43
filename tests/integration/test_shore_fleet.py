"""The CSO's fleet ashore: one object per ship in the API, one row per ship on the page."""

from __future__ import annotations

import pytest

from gangway.web.openapi.document import openapi_document
from tests.support.shore import (
    SHIP_STATUS,
    add_test_ship,
    batch,
    chain,
    dispose,
    rewritten,
    send,
    shore_app,
)

pytestmark = pytest.mark.shore


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = shore_app(tmp_path_factory.mktemp("fleet"))
    client = app.test_client()
    imo, token = add_test_ship(app, "MV Aurora")
    entries = chain(4)
    send(client, token, batch(imo, entries[:3], **SHIP_STATUS))
    diverged, bad = add_test_ship(app, "MV Borealis")
    send(client, bad, batch(diverged, entries[:3]))
    send(client, bad, batch(diverged, rewritten(entries, 2, entries[0]["entry_hash"])))
    app.config["IMOS"] = (imo, diverged)
    yield app
    dispose(app)


def test_the_fleet_api_gives_one_object_per_ship_with_its_status_and_chain(app, client, auth):
    auth.login("cso")
    imo, diverged = app.config["IMOS"]
    answer = client.get("/api/v1/fleet")
    assert answer.status_code == 200
    ships = {ship["imo"]: ship for ship in answer.get_json()}
    aurora = ships[imo]
    assert aurora["name"] == "MV Aurora"
    assert aurora["last_contact_at"].endswith("Z")
    assert {k: aurora[k] for k in SHIP_STATUS} == SHIP_STATUS
    assert (aurora["records"], aurora["chain_head"]["seq"], aurora["chain_status"]) == (3, 3, "ok")
    borealis = ships[diverged]
    assert (borealis["chain_status"], borealis["diverged_at"], borealis["alerts"]) == (
        "diverged",
        2,
        1,
    )


def test_the_fleet_page_shows_each_ship_and_the_refused_batch_in_words(app, client, auth):
    auth.login("cso")
    page = client.get("/fleet/").get_data(as_text=True)
    assert "MV Aurora" in page
    assert "Level 2" in page
    assert "Rotterdam (NLRTM)" in page
    assert "2026-12-07 08:00 UTC (09:00 Europe/Amsterdam)" in page
    assert "20 crew, 3 visitor" in page
    assert "Chain diverged at #2" in page
    assert "MV Borealis</strong> (IMO" in page
    assert "Chain rewritten on board at #2" in page
    assert "held_differs" not in page.split("fleet-detail")[0]  # the code is no label
    fragment = client.get("/fleet/", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).startswith('<div id="fleet-status"')
    assert "HX-Request" in fragment.headers["Vary"]


@pytest.mark.parametrize("role", ["sso", "pfso", "admin"])
def test_only_the_cso_sees_the_fleet(client, auth, role):
    auth.login(role)
    assert client.get("/fleet/").status_code == 403
    assert client.get("/api/v1/fleet").status_code == 403


def test_the_shores_api_document_describes_the_link_and_the_fleet_and_the_ships_does_not(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/shore/head", "/shore/batches", "/fleet"} <= set(paths)
    assert "409" in paths["/shore/batches"]["post"]["responses"]
    assert not {"/shore/head", "/fleet"} & set(openapi_document()["paths"])


def test_nobody_logged_in_is_sent_to_the_login(client):
    assert client.get("/fleet/").status_code == 302
    assert client.get("/api/v1/fleet").status_code == 401


def test_the_cso_lands_on_the_fleet_ashore(app, client, auth):
    assert auth.login("cso").location == "/fleet/"
    assert client.get("/").location == "/fleet/"


def test_the_title_bar_ashore_names_the_fleet_server_not_a_ship(client, auth):
    auth.login("cso")
    page = client.get("/fleet/").get_data(as_text=True)
    assert "Gangway · Fleet ashore" in page
    assert "MV Test Ship" not in page
