"""Escorts, searches and suspensions at the gangway, through the tablet and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, Person, Refusal, Ship
from gangway.extensions import db


def set_ship(app, **fields):
    with app.app_context():
        ship = db.session.scalars(select(Ship)).one()
        for name, value in fields.items():
            setattr(ship, name, value)
        db.session.commit()


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def scan(client, **form):
    data = {"direction": "board", **form}
    return client.post("/watch/scan", data=data, headers={"HX-Request": "true"})


@pytest.fixture
def crew_aboard(app, auth, client, make_person, make_badge):
    """A crew member recorded aboard; returns (person id, badge code)."""
    person = make_person(kind="crew", family="SANTOS", given="Maria", rank="Bosun")
    code = make_badge(person)
    auth.login("watch")
    scan(client, code=code)
    return person, code


def test_visitor_at_level_2_waits_for_an_escort_and_nothing_is_recorded(
    app, client, crew_aboard, make_badge
):
    set_ship(app, security_level=2)
    visitor = make_badge(kind="visitor")
    response = scan(client, code=visitor, purpose="Pilot")
    html = response.get_data(as_text=True)
    assert 'data-verdict="escort_needed"' in html
    assert "ESCORT NEEDED" in html
    assert "SANTOS, Maria" in html  # offered from the crew aboard
    assert "HX-Trigger" not in response.headers
    assert (count(app, Movement), count(app, Refusal)) == (1, 0)  # only the escort's boarding


def test_escort_by_scanning_the_crew_badge_records_the_pair(app, client, crew_aboard, make_badge):
    escort_id, escort_code = crew_aboard
    set_ship(app, security_level=2)
    visitor = make_badge(kind="visitor")
    html = scan(client, code=visitor, purpose="Pilot", escort=escort_code).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert "Escort: SANTOS, Maria" in html
    with app.app_context():
        movement = db.session.scalars(select(Movement).order_by(Movement.id.desc())).first()
        assert movement.escort_id == escort_id
    onboard = client.get("/sso/onboard")
    assert onboard.status_code == 403  # the watch does not see the SSO's list


def test_escort_leaving_while_escorting_is_flagged_and_release_follows_the_visitor(
    app, client, crew_aboard, make_badge
):
    escort_id, escort_code = crew_aboard
    set_ship(app, security_level=2)
    visitor = make_badge(kind="visitor")
    scan(client, code=visitor, purpose="Pilot", escort_person_id=str(escort_id))
    html = scan(client, code=escort_code, direction="depart").get_data(as_text=True)
    assert 'data-code="still_escorting"' in html
    scan(client, code=escort_code, direction="board")
    scan(client, code=visitor, direction="depart")
    html = scan(client, code=escort_code, direction="depart").get_data(as_text=True)
    assert "still_escorting" not in html


def test_escort_who_is_not_aboard_is_not_accepted(
    app, client, crew_aboard, make_badge, make_person
):
    set_ship(app, security_level=2)
    ashore = make_badge(make_person(kind="crew", family="ASHORE"))
    html = scan(client, code=make_badge(kind="visitor"), purpose="Pilot", escort=ashore).get_data(
        as_text=True
    )
    assert 'data-verdict="escort_needed"' in html
    assert "not recorded aboard" in html


def test_visitor_declining_to_wait_is_refused(app, client, crew_aboard, make_badge):
    set_ship(app, security_level=2)
    scan(client, code=make_badge(kind="visitor"), purpose="Pilot", escort_declined="1")
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).one() == "escort_declined"


def test_search_required_records_nothing_until_the_watch_answers(app, auth, client, make_badge):
    set_ship(app, search_percent_1=100)
    auth.login("watch")
    code = make_badge(kind="visitor")
    html = scan(client, code=code, purpose="Pilot").get_data(as_text=True)
    assert 'data-verdict="search"' in html
    assert "SEARCH REQUIRED" in html
    assert count(app, Movement) == 0
    html = scan(client, code=code, purpose="Pilot", search="done").get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    with app.app_context():
        assert db.session.scalars(select(Movement.searched)).one() is True


def test_declined_search_is_a_refusal(app, auth, client, make_badge):
    set_ship(app, search_percent_1=100)
    auth.login("watch")
    scan(client, code=make_badge(kind="visitor"), purpose="Pilot", search="declined")
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).one() == "search_declined"


def test_crew_are_not_picked_for_search_unless_the_plan_says_so(app, auth, client, make_badge):
    set_ship(app, search_percent_1=100)
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, code=make_badge()).get_data(as_text=True)


def test_suspended_disembarkation_is_refused_and_only_the_master_overrides(
    app, auth, client, crew_aboard
):
    _, code = crew_aboard
    set_ship(app, disembarkation_suspended=True)
    html = scan(client, code=code, direction="depart").get_data(as_text=True)
    assert 'data-code="disembarkation_suspended"' in html
    assert "Only the master" in html
    refused = scan(client, code=code, direction="depart", override_reason="hospital")
    assert "Only the master can override" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("master")
    html = scan(client, code=code, direction="depart").get_data(as_text=True)
    assert 'id="override-form"' in html
    html = scan(client, code=code, direction="depart", override_reason="hospital").get_data(
        as_text=True
    )
    assert 'data-verdict="allowed"' in html
    with app.app_context():
        movement = db.session.scalars(select(Movement).order_by(Movement.id.desc())).first()
        assert (movement.direction, movement.override_reason) == (
            "depart",
            "Master's override: hospital",
        )


def test_level_3_refuses_everyone_but_responders(app, auth, client, make_person, make_badge):
    set_ship(app, security_level=3)
    auth.login("watch")
    html = scan(client, code=make_badge(kind="visitor"), purpose="Pilot").get_data(as_text=True)
    assert 'data-code="responders_only"' in html
    police = make_person(kind="authority", family="POLICE", purpose="Incident", is_responder=True)
    assert 'data-verdict="allowed"' in scan(client, code=make_badge(police)).get_data(as_text=True)


def test_api_answers_escort_needed_then_accepts_the_escort(app, client, crew_aboard, make_badge):
    _, escort_code = crew_aboard
    set_ship(app, security_level=2)
    body = {
        "code": make_badge(kind="visitor"),
        "access_point": "MAIN-GW",
        "direction": "board",
        "purpose": "x",
    }
    first = client.post("/api/v1/scans", json=body).get_json()
    assert (first["verdict"], first["record_id"], first["search_required"]) == (
        "escort_needed",
        None,
        False,
    )
    second = client.post("/api/v1/scans", json={**body, "escort": escort_code}).get_json()
    assert second["verdict"] == "allowed"
    assert second["escort"]["name"] == "SANTOS, Maria"
    assert second["record_id"].startswith("m-")


def test_api_search_round_trip(app, auth, client, make_badge):
    set_ship(app, search_percent_1=100)
    auth.login("watch")
    body = {
        "code": make_badge(kind="visitor"),
        "access_point": "MAIN-GW",
        "direction": "board",
        "purpose": "x",
    }
    first = client.post("/api/v1/scans", json=body).get_json()
    assert (first["verdict"], first["search_required"], first["record_id"]) == (
        "allowed",
        True,
        None,
    )
    done = client.post("/api/v1/scans", json={**body, "search": "done"}).get_json()
    assert done["record_id"].startswith("m-")
    bad = client.post("/api/v1/scans", json={**body, "search": "maybe"})
    assert bad.status_code == 400


def test_escort_shows_on_the_sso_list(app, auth, client, crew_aboard, make_badge, make_person):
    _, escort_code = crew_aboard
    set_ship(app, security_level=2)
    scan(
        client,
        code=make_badge(make_person(kind="visitor", family="VISITOR")),
        purpose="Pilot",
        escort=escort_code,
    )
    auth.logout()
    auth.login("sso")
    page = client.get("/sso/onboard").get_data(as_text=True)
    row = next(line for line in page.split("<tr>") if "VISITOR" in line)
    assert "SANTOS, Maria" in row
    assert count(app, Person) == 2
