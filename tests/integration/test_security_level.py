"""The SSO sets the security level and the port's, records Declarations of Security; all see it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gangway.db.models import Declaration, LevelChange, PortCall, Ship, User
from gangway.extensions import db
from tests.conftest import NOW, AuthActions

STAMP = "%Y-%m-%dT%H:%M"
GOOD_LEVEL = {
    "level": "2",
    "reason": "Flag state directive 12/26",
    "ordered_by": "flag_state",
    "notified_at": NOW.strftime(STAMP),
    "complied_at": (NOW + timedelta(minutes=30)).strftime(STAMP),
}


def dos_form(**changes) -> dict:
    return {
        "level": "2",
        "ship_party_name": "Anna Berg",
        "ship_party_role": "sso",
        "port_party_name": "Piet de Vries",
        "port_facility": "Rotterdam Terminal 3",
        "reason": "Ship at level 2, port at level 1",
        "measures": "All visitors escorted.\nStores searched before loading.",
        "valid_from": (NOW - timedelta(hours=1)).strftime(STAMP),
        "valid_until": (NOW + timedelta(days=1)).strftime(STAMP),
        "signed_at": NOW.strftime(STAMP),
        **changes,
    }


def ship_level(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Ship)).one().security_level


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_sso_sets_the_level_through_the_page_and_it_is_recorded(app, auth, client):
    auth.login("sso")
    response = client.post("/sso/security/level", data=GOOD_LEVEL)
    assert response.status_code == 302
    assert ship_level(app) == 2
    with app.app_context():
        change = db.session.scalars(select(LevelChange)).one()
        port_call = db.session.scalars(select(PortCall)).one()
        assert (change.level, change.reason, change.ordered_by) == (
            2,
            "Flag state directive 12/26",
            "flag_state",
        )
        assert change.notified_at == NOW.replace(second=0)
        assert change.complied_at == NOW.replace(second=0) + timedelta(minutes=30)
        assert change.port_call_id == port_call.id
    page = client.get("/sso/security/").get_data(as_text=True)
    assert "Flag state directive 12/26" in page
    assert "Rotterdam" in page
    assert 'id="security-panel"' in page


def test_the_page_shows_the_form_with_csrf_and_now_as_default(auth, client):
    auth.login("master")
    page = client.get("/sso/security/").get_data(as_text=True)
    assert "Set security level" in page
    assert 'name="csrf_token"' in page
    assert re.search(r'name="notified_at" value="\d{4}-\d\d-\d\dT\d\d:\d\d"', page)


def test_an_htmx_change_returns_the_panel_and_refreshes_the_band(app, hx):
    AuthActions(app, hx).login("sso")
    response = hx.post("/sso/security/level", data={**GOOD_LEVEL, "level": "3"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="security-panel"')
    assert response.headers["HX-Trigger"] == "level-changed"
    assert "HX-Request" in response.headers["Vary"]
    assert ship_level(app) == 3


def test_the_sso_sets_the_level_through_the_api(app, auth, client):
    auth.login("master")
    body = {**GOOD_LEVEL, "level": 3, "complied_at": None, "ordered_by": "company"}
    response = client.put("/api/v1/security-level", json=body)
    assert response.status_code == 200
    state = response.get_json()
    assert state["level"] == 3
    assert state["ordered_by"] == "company"
    assert state["complied_at"] is None
    assert state["notified_at"].startswith(NOW.strftime(STAMP))
    assert ship_level(app) == 3
    assert client.get("/api/v1/security-level").get_json() == state


@pytest.mark.parametrize(
    "changes",
    [
        {"level": "4"},
        {"level": ""},
        {"reason": "  "},
        {"ordered_by": "captain"},
        {"notified_at": ""},
        {"notified_at": "yesterday"},
        {"complied_at": (NOW - timedelta(hours=1)).strftime(STAMP)},
    ],
)
def test_bad_input_on_the_page_changes_nothing(app, auth, client, changes):
    auth.login("sso")
    response = client.post("/sso/security/level", data={**GOOD_LEVEL, **changes})
    assert response.status_code == 400
    assert 'data-testid="error-message"' in response.get_data(as_text=True)
    assert ship_level(app) == 1
    assert count(app, LevelChange) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"level": 4},
        {"level": True},
        {"reason": None},
        {"ordered_by": "captain"},
        {"complied_at": (NOW - timedelta(hours=1)).isoformat()},
        {"notified_at": 12},
    ],
)
def test_bad_input_on_the_api_changes_nothing(app, auth, client, changes):
    auth.login("sso")
    response = client.put("/api/v1/security-level", json={**GOOD_LEVEL, **changes})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_input"
    assert ship_level(app) == 1
    assert count(app, LevelChange) == 0


def test_the_port_facility_level_is_recorded_on_the_port_call(app, auth, client):
    auth.login("sso")
    assert client.post("/sso/security/port-level", data={"port_level": "2"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(PortCall)).one().port_security_level == 2
    assert client.get("/api/v1/security-level").get_json()["port_level"] == 2
    assert client.post("/sso/security/port-level", data={"port_level": "9"}).status_code == 400


def test_the_port_level_cannot_be_set_at_sea(app, auth, client):
    with app.app_context():
        db.session.scalars(select(PortCall)).one().departed_at = NOW
        db.session.commit()
    auth.login("sso")
    response = client.post("/sso/security/port-level", data={"port_level": "1"})
    assert response.status_code == 400
    assert "not in port" in response.get_data(as_text=True)


def test_the_dos_prompt_appears_above_the_port_level_and_goes_once_a_dos_covers_it(
    app, auth, client
):
    auth.login("sso")
    client.post("/sso/security/port-level", data={"port_level": "1"})
    prompt = "agree a Declaration of Security"
    assert prompt not in client.get("/sso/security/").get_data(as_text=True)

    client.post("/sso/security/level", data=GOOD_LEVEL)
    page = client.get("/sso/security/").get_data(as_text=True)
    assert "The ship is at a higher level than the port facility: " + prompt in page
    assert client.get("/api/v1/security-level").get_json()["declaration_needed"] is True

    form = client.get("/sso/security/declarations").get_data(as_text=True)
    assert 'value="Rotterdam"' in form  # the port facility, from the port call

    expired = dos_form(valid_until=(NOW - timedelta(minutes=5)).strftime(STAMP))
    expired["valid_from"] = (NOW - timedelta(days=1)).strftime(STAMP)
    assert client.post("/sso/security/declarations", data=expired).status_code == 302
    assert client.post("/sso/security/declarations", data=dos_form(level="1")).status_code == 302
    assert prompt in client.get("/sso/security/").get_data(as_text=True)

    assert client.post("/sso/security/declarations", data=dos_form()).status_code == 302
    assert prompt not in client.get("/sso/security/").get_data(as_text=True)
    assert client.get("/api/v1/security-level").get_json()["declaration_needed"] is False

    client.post("/sso/security/level", data={**GOOD_LEVEL, "level": "3"})
    assert prompt in client.get("/sso/security/").get_data(as_text=True)


@pytest.mark.parametrize(
    "changes",
    [
        {"level": "4"},
        {"ship_party_name": ""},
        {"ship_party_role": "bosun"},
        {"port_party_name": " "},
        {"measures": ""},
        {"reason": ""},
        {"valid_until": (NOW - timedelta(hours=2)).strftime(STAMP)},
        {"signed_at": ""},
    ],
)
def test_an_incomplete_declaration_is_refused(app, auth, client, changes):
    auth.login("sso")
    response = client.post("/sso/security/declarations", data=dos_form(**changes))
    assert response.status_code == 400
    assert 'data-testid="error-message"' in response.get_data(as_text=True)
    assert count(app, Declaration) == 0


def test_an_incomplete_declaration_is_refused_by_the_api(app, auth, client):
    auth.login("sso")
    body = {**dos_form(measures=" "), "level": 2}
    response = client.post("/api/v1/declarations", json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == "measures"
    assert count(app, Declaration) == 0


def test_the_last_declarations_are_all_listed_newest_first(app, auth, client):
    auth.login("master")
    for n in range(12):
        body = {**dos_form(reason=f"Declaration number {n:02d}"), "level": 2}
        assert client.post("/api/v1/declarations", json=body).status_code == 201
    page = client.get("/sso/security/declarations").get_data(as_text=True)
    positions = [page.index(f"Declaration number {n:02d}") for n in range(12)]
    assert positions == sorted(positions, reverse=True)
    listed = client.get("/api/v1/declarations").get_json()["declarations"]
    assert [d["reason"] for d in listed] == [
        f"Declaration number {n:02d}" for n in range(11, -1, -1)
    ]
    assert listed[0]["port_facility"] == "Rotterdam Terminal 3"


def test_the_level_band_fragment_shows_the_new_level(auth, client):
    auth.login("watch")
    band = client.get("/level-band").get_data(as_text=True)
    assert "SECURITY LEVEL 1 · ONE" in band
    auth.logout()
    auth.login("sso")
    client.post("/sso/security/level", data=GOOD_LEVEL)
    auth.logout()
    auth.login("watch")
    response = client.get("/level-band")
    band = response.get_data(as_text=True)
    assert "<html" not in band
    assert band.lstrip().startswith('<div id="level-band" class="level-band level-2"')
    assert "SECURITY LEVEL 2 · TWO" in band
    assert 'hx-trigger="every 5s' in band
    assert "HX-Request" in response.headers["Vary"]


def test_the_band_on_the_login_page_does_not_poll(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'id="level-band"' in page
    assert "hx-get" not in page.split('id="level-band"')[1].split(">")[0]


def test_the_watch_reads_the_level_but_cannot_set_it(app, auth, client):
    auth.login("watch")
    assert client.get("/level-band").status_code == 200
    assert client.get("/api/v1/security-level").get_json()["level"] == 1
    assert client.put("/api/v1/security-level", json=GOOD_LEVEL).status_code == 403
    assert client.post("/sso/security/level", data=GOOD_LEVEL).status_code == 403
    assert client.get("/sso/security/").status_code == 403
    assert ship_level(app) == 1


def test_the_pfso_reads_declarations_only(app, auth, client):
    auth.login("pfso")
    assert client.get("/api/v1/declarations").status_code == 200
    assert client.post("/api/v1/declarations", json=dos_form()).status_code == 403
    assert client.get("/sso/security/declarations").status_code == 403
    assert client.put("/api/v1/security-level", json=GOOD_LEVEL).status_code == 403
    assert count(app, Declaration) == 0


def test_the_openapi_document_describes_get_and_put_on_one_path(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/security-level"]) == {"get", "put"}
    assert set(paths["/declarations"]) == {"get", "post"}


def test_a_pfso_lists_only_the_declarations_of_their_facilitys_calls(app, auth, client):
    auth.login("sso")
    body = {**dos_form(), "level": 2}
    assert client.post("/api/v1/declarations", json=body).status_code == 201  # made in call 1
    auth.logout()
    auth.login("pfso")  # the test PFSO has no facility: it matches no call
    with app.app_context():
        db.session.scalars(select(User).where(User.role == "pfso")).one().facility_name = "Euromax"
        db.session.commit()
    assert client.get("/api/v1/declarations").get_json()["declarations"] == []  # not theirs
    with app.app_context():
        db.session.get(PortCall, 1).facility_name = "Euromax"
        db.session.commit()
    assert len(client.get("/api/v1/declarations").get_json()["declarations"]) == 1
