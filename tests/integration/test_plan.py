"""The SSO's ship security plan page, its API, and the muster list."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from gangway.db.models import AccessPoint, Person, PlanRevision, Refusal, Ship
from gangway.extensions import db
from tests.support.tools import require_tool

HX = {"HX-Request": "true"}


def set_ship(app, **fields):
    with app.app_context():
        ship = db.session.scalars(select(Ship)).one()
        for name, value in fields.items():
            setattr(ship, name, value)
        db.session.commit()


def ship(app) -> Ship:
    with app.app_context():
        found = db.session.scalars(select(Ship)).one()
        db.session.expunge(found)
        return found


def points(app) -> dict[str, tuple[bool, bool, bool, bool]]:
    """Return code -> (open at 1, 2, 3, enabled)."""
    with app.app_context():
        return {
            p.code: (p.open_at_1, p.open_at_2, p.open_at_3, p.is_enabled)
            for p in db.session.scalars(select(AccessPoint))
        }


def designate_main(app, *, is_open: bool = True):
    """Make MAIN-GW the level 3 point (or, with is_open=False, leave no point at level 3)."""
    with app.app_context():
        main = db.session.scalars(select(AccessPoint).where(AccessPoint.code == "MAIN-GW")).one()
        main.open_at_3 = is_open
        db.session.commit()


def plan_form(**overrides) -> dict:
    """The plan table as the page posts it: both points, MAIN-GW the level 3 point."""
    form = {
        "code": ["MAIN-GW", "AFT-LADDER"],
        "open_1": ["MAIN-GW", "AFT-LADDER"],
        "open_2": ["MAIN-GW", "AFT-LADDER"],
        "open_3": "MAIN-GW",
        "enabled": ["MAIN-GW", "AFT-LADDER"],
    }
    return {**form, **overrides}


def board(client, code):
    return client.post("/watch/scan", data={"code": code, "direction": "board"}, headers=HX)


def test_plan_page_shows_points_settings_suspensions_and_responders(app, auth, client, make_person):
    make_person(kind="authority", family="VISSER", given="Anna", authority_role="police")
    designate_main(app, is_open=False)
    auth.login("sso")
    html = client.get("/sso/plan/").get_data(as_text=True)
    for root in ("plan-points", "plan-settings", "plan-suspension", "plan-responders"):
        assert f'id="{root}"' in html
    assert 'name="open_3" value="MAIN-GW"' in html
    assert 'name="open_3" value="AFT-LADDER"' in html
    assert "VISSER, Anna" in html
    assert "No access point is designated for security level 3" in html
    assert 'name="csrf_token"' in html
    assert "style=" not in html
    assert "onclick" not in html


def test_closing_a_point_at_the_current_level_refuses_scans_there(app, auth, client, make_badge):
    auth.login("sso")
    form = plan_form(open_2=["MAIN-GW"])
    assert client.post("/sso/plan/points", data=form).status_code == 302
    assert points(app)["AFT-LADDER"] == (True, False, False, True)
    set_ship(app, security_level=2)
    auth.login("watch", point="AFT-LADDER")
    html = board(client, make_badge()).get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert "closed at security level 2" in html
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).all() == ["access_point_closed"]


def test_a_second_point_at_level_3_is_refused_and_nothing_is_written(app, auth, client):
    designate_main(app)
    auth.login("sso")
    before = points(app)
    response = client.put(
        "/api/v1/access-points/AFT-LADDER", json={"open_at": {"1": True, "2": True, "3": True}}
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "open_at"
    assert "Only one access point may be open at security level 3" in response.get_json()["message"]
    response = client.post(
        "/sso/plan/points/new",
        data={"code": "FWD-GW", "name": "Forward gangway", "kind": "gangway", "new_open_3": "1"},
    )
    assert response.status_code == 400
    assert "Only one access point" in response.get_data(as_text=True)
    assert points(app) == before


def test_the_level_3_radio_switches_the_designated_point(app, auth, hx):
    designate_main(app)
    auth.login("sso")  # creates the sso user; the htmx client then logs in on its own
    response = hx.post("/login", data={"username": "sso", "password": "correct horse battery"})
    assert response.status_code == 302
    response = hx.post("/sso/plan/points", data=plan_form(open_3="AFT-LADDER"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="plan-points"')
    assert "Access plan saved." in html
    assert "HX-Request" in response.headers["Vary"]
    assert points(app)["MAIN-GW"][2] is False
    assert points(app)["AFT-LADDER"][2] is True


def test_closing_every_point_at_level_1_is_refused(app, auth, client):
    auth.login("sso")
    before = points(app)
    response = client.post("/sso/plan/points", data=plan_form(open_1=[]))
    assert response.status_code == 400
    assert "No access point is open at security level 1" in response.get_data(as_text=True)
    assert points(app) == before


def test_sso_adds_an_access_point(app, auth, client):
    auth.login("sso")
    response = client.post(
        "/sso/plan/points/new",
        data={"code": "fwd-gw", "name": "Forward gangway", "kind": "ramp", "new_open_1": "1"},
    )
    assert response.status_code == 302
    assert points(app)["FWD-GW"] == (True, False, False, True)
    response = client.post(
        "/sso/plan/points/new", data={"code": "FWD-GW", "name": "Again", "kind": "ramp"}
    )
    assert response.status_code == 400
    assert "already an access point FWD-GW" in response.get_data(as_text=True)


def test_plan_settings_are_saved(app, auth, client):
    auth.login("sso")
    form = {
        "search_percent_1": "5",
        "search_percent_2": "50",
        "search_percent_3": "100",
        "search_crew": "1",
        "escort_ratio": "3",
        "escorted_kinds": ["visitor", "authority"],
    }
    assert client.post("/sso/plan/settings", data=form).status_code == 302
    saved = ship(app)
    assert (saved.search_percent_1, saved.search_percent_2, saved.search_percent_3) == (5, 50, 100)
    assert (saved.search_crew, saved.escort_ratio) == (True, 3)
    assert saved.escorted_kinds == "visitor,authority"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("search_percent_2", "150", "0 to 100"),
        ("search_percent_1", "ten", "whole number"),
        ("escort_ratio", "0", "1 to 50"),
        ("escorted_kinds", "pirate", "Unknown kind"),
    ],
)
def test_invalid_plan_settings_are_refused_and_nothing_is_written(
    app, auth, client, field, value, words
):
    auth.login("sso")
    form = {
        "search_percent_1": "5",
        "search_percent_2": "50",
        "search_percent_3": "100",
        "escort_ratio": "3",
        field: value,
    }
    response = client.post("/sso/plan/settings", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'data-field="{field}"' in html
    assert words in html
    saved = ship(app)
    assert (saved.search_percent_1, saved.escort_ratio) == (0, 5)


def test_suspending_embarkation_refuses_boarding(app, auth, client, make_badge):
    auth.login("sso")
    response = client.post(
        "/sso/plan/suspension", data={"embarkation": "suspended", "disembarkation": "allowed"}
    )
    assert response.status_code == 302
    assert (ship(app).embarkation_suspended, ship(app).disembarkation_suspended) == (True, False)
    html = client.get("/sso/plan/").get_data(as_text=True)
    assert 'data-testid="embarkation-state" data-suspended="yes"' in html
    auth.login("watch")
    assert "Embarkation is suspended" in board(client, make_badge()).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).all() == ["embarkation_suspended"]
    auth.login("sso")
    client.post("/sso/plan/suspension", data={"embarkation": "allowed"})
    assert ship(app).embarkation_suspended is False


def test_master_may_read_the_plan_and_toggle_suspensions_but_not_edit_points(app, auth, client):
    auth.login("master")
    html = client.get("/sso/plan/").get_data(as_text=True)
    assert 'id="plan-points"' in html
    assert "Save access plan" not in html
    assert 'action="/sso/plan/suspension"' in html
    response = client.post("/sso/plan/suspension", data={"disembarkation": "suspended"})
    assert response.status_code == 302
    assert ship(app).disembarkation_suspended is True
    before = points(app)
    assert client.post("/sso/plan/points", data=plan_form(open_1=[])).status_code == 403
    assert client.post("/sso/plan/settings", data={"escort_ratio": "9"}).status_code == 403
    assert client.put("/api/v1/access-points/MAIN-GW", json={"name": "X"}).status_code == 403
    assert points(app) == before


@pytest.mark.parametrize("role", ["watch", "pfso", "admin"])
def test_other_roles_may_not_see_the_plan_or_muster(auth, client, role):
    auth.login(role)
    assert client.get("/sso/plan/").status_code == 403
    assert client.post("/sso/plan/suspension", data={"embarkation": "suspended"}).status_code == 403
    assert client.get("/sso/muster").status_code == 403


def test_responder_toggle_only_for_authorities(app, auth, client, make_person):
    officer = make_person(kind="authority", family="VISSER", given="Anna")
    crew = make_person(kind="crew")
    auth.login("sso")
    assert (
        client.post(f"/sso/plan/responders/{officer}", data={"is_responder": "1"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Person, officer).is_responder is True
    html = client.get("/sso/plan/").get_data(as_text=True)
    assert "Responding: yes" in html
    assert (
        client.post(f"/sso/plan/responders/{crew}", data={"is_responder": "1"}).status_code == 404
    )
    with app.app_context():
        assert db.session.get(Person, crew).is_responder is False
    client.post(f"/sso/plan/responders/{officer}", data={"is_responder": "0"})
    with app.app_context():
        assert db.session.get(Person, officer).is_responder is False


def test_api_put_changes_an_access_point(app, auth, client):
    designate_main(app)
    auth.login("sso")
    # Moving the level 3 point by API: close the old one first (allowed as a step), then open.
    off = client.put(
        "/api/v1/access-points/MAIN-GW", json={"open_at": {"1": True, "2": True, "3": False}}
    )
    assert off.status_code == 200
    response = client.put(
        "/api/v1/access-points/AFT-LADDER",
        json={
            "name": "Aft ladder (port)",
            "kind": "pilot_ladder",
            "open_at": {"1": True, "2": False, "3": True},
        },
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "code": "AFT-LADDER",
        "name": "Aft ladder (port)",
        "kind": "pilot_ladder",
        "is_enabled": True,
        "open_at": {"1": True, "2": False, "3": True},
        "one_way": None,
    }
    assert points(app)["AFT-LADDER"] == (True, False, True, True)
    # The only point open at level 3 cannot be for leaving only: nobody could board at level 3.
    one_way = client.put("/api/v1/access-points/AFT-LADDER", json={"one_way": "depart"})
    assert one_way.status_code == 400
    assert (
        "At security level 3 no open access point lets people board"
        in one_way.get_json()["message"]
    )
    bad = client.put("/api/v1/access-points/AFT-LADDER", json={"one_way": "sideways"})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "one_way")
    bad = client.put("/api/v1/access-points/AFT-LADDER", json={"kind": "helipad"})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "kind")
    bad = client.put("/api/v1/access-points/AFT-LADDER", json={"open_at": {"1": "yes"}})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "open_at")
    assert client.put("/api/v1/access-points/NOPE", json={"name": "X"}).status_code == 404
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "put" in paths["/access-points/{code}"]


@pytest.fixture
def aboard(app, auth, client, make_person, make_badge):
    """Board a crew member at MAIN-GW and a passenger at AFT-LADDER."""
    crew = make_badge(make_person(kind="crew", family="SANTOS", given="Maria", rank="Bosun"))
    passenger = make_badge(make_person(kind="passenger", family="MÜLLER", given="José"))
    auth.login("watch")
    assert 'data-verdict="allowed"' in board(client, crew).get_data(as_text=True)
    auth.login("watch", point="AFT-LADDER")
    assert 'data-verdict="allowed"' in board(client, passenger).get_data(as_text=True)
    auth.login("sso")


def test_muster_page_lists_everyone_aboard_by_kind_with_the_access_point(aboard, client):
    html = client.get("/sso/muster").get_data(as_text=True)
    assert '<button id="print-muster"' in html
    assert "js/print.js" in html
    assert 'href="/sso/muster.pdf"' in html
    assert 'data-testid="muster-total">2<' in html
    crew_part, passenger_part = html.split('<h2 data-kind="passenger"')
    assert "SANTOS, Maria" in crew_part
    assert "Bosun" in crew_part
    assert "Main gangway" in crew_part
    assert "MÜLLER, José" in passenger_part
    assert "Aft ladder" in passenger_part
    assert "onclick" not in html


def test_master_can_print_the_muster(auth, client, aboard):
    auth.login("master")
    assert client.get("/sso/muster").status_code == 200
    assert client.get("/sso/muster.pdf").status_code == 200


def test_muster_pdf_has_the_names_counts_and_access_points(aboard, client, tmp_path):
    response = client.get("/sso/muster.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    require_tool("pdftotext")
    source = tmp_path / "muster.pdf"
    source.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "Muster list · MV Test Ship" in text
    assert "On board: 2" in text
    assert "SANTOS, Maria" in text
    assert "MÜLLER, José" in text
    assert "Main gangway" in text
    assert "Aft ladder" in text
    assert "Passenger (1)" in text


def test_a_point_can_serve_one_direction_while_the_plan_keeps_both_ways_at_every_level(
    app, auth, client
):
    auth.login("sso")
    form = {
        "code": ["MAIN-GW", "AFT-LADDER"],
        "open_1": ["MAIN-GW", "AFT-LADDER"],
        "open_2": ["MAIN-GW", "AFT-LADDER"],
        "open_3": "MAIN-GW",
        "enabled": ["MAIN-GW", "AFT-LADDER"],
        "use_AFT-LADDER": "depart",
    }

    def uses():
        with app.app_context():
            return dict(db.session.execute(select(AccessPoint.code, AccessPoint.one_way)).all())

    client.post("/sso/plan/points", data=form)
    assert uses() == {"MAIN-GW": None, "AFT-LADDER": "depart"}
    # The level 3 point for boarding only: at level 3 nobody could leave. Refused, unchanged.
    html = client.post(
        "/sso/plan/points", data={**form, "use_MAIN-GW": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "At security level 3 no open access point lets people leave." in html
    assert uses() == {"MAIN-GW": None, "AFT-LADDER": "depart"}
    bad = client.post("/sso/plan/points", data={**form, "use_MAIN-GW": "sideways"})
    assert bad.status_code == 400
    assert uses() == {"MAIN-GW": None, "AFT-LADDER": "depart"}


def test_the_sso_says_whether_the_crew_board_at_level_3_and_the_plan_page_says_so(
    app, auth, client
):
    auth.login("sso")
    page = client.get("/sso/plan/").get_data(as_text=True)
    assert "crew board at level 3: they are part of the response" in page
    client.post("/sso/plan/crew-at-level-3", data={"crew_board": "0"})
    page = client.get("/sso/plan/").get_data(as_text=True)
    assert "do not board at level 3 unless marked as responding" in page
    with app.app_context():
        assert db.session.scalars(select(Ship.crew_board_at_level_3)).one() is False
        revision = db.session.scalars(select(PlanRevision).order_by(PlanRevision.id.desc())).first()
        assert revision.crew_board_at_level_3 is False  # on the record, chained
    auth.login("master")
    assert client.post("/sso/plan/crew-at-level-3", data={"crew_board": "1"}).status_code == 403
