"""Closing a port call with visitors, contractors or authorities still aboard lists them and asks
first; nothing is written until the SSO confirms (the page) or says confirm_aboard (the API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Movement, Person, PortCall, ReportSnapshot
from gangway.extensions import db
from tests.conftest import NOW, AuthActions

CLOSE = "/sso/port-calls/1/close"
API_CLOSE = "/api/v1/port-calls/1/close"


@pytest.fixture
def put_aboard(app, make_user):
    """Return put_aboard(kind, family, hours_ago=3) -> person id: record a boarding now."""
    watch = make_user("watch", "close-watch")

    def put(kind: str, family: str, hours_ago: float = 3, **fields) -> int:
        with app.app_context():
            person = Person(kind=kind, family_name=family, given_names="Eve", **fields)
            db.session.add(person)
            db.session.flush()
            move = Movement(person_id=person.id, direction="board", method="scan",
                            occurred_at=NOW - timedelta(hours=hours_ago), access_point_id=1,
                            port_call_id=1, recorded_by_id=watch.id)  # fmt: skip
            db.session.add(move)
            db.session.flush()
            person.aboard_movement_id = move.id
            db.session.commit()
            return person.id

    return put


def written(app) -> tuple:
    """Return what a close writes: the departure, report copies and audit entries."""
    with app.app_context():
        return (
            db.session.get(PortCall, 1).departed_at,
            db.session.scalar(select(func.count(ReportSnapshot.id))),
            db.session.scalar(select(func.count(AuditEntry.seq))),
        )


def test_closing_with_a_visitor_aboard_lists_them_and_writes_nothing(app, auth, client,
                                                                     put_aboard):  # fmt: skip
    visitor = put_aboard("visitor", "SURVEYOR", company="Class Society")
    auth.login("sso")
    before = written(app)
    response = client.post(CLOSE, data={"departed_at": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="port-calls-close-confirm"' in html
    assert "1 person still aboard" in html
    assert "SURVEYOR, Eve" in html
    assert "Class Society" in html
    assert f'aboard since <time datetime="{(NOW - timedelta(hours=3)).isoformat()}">' in html
    assert f'name="aboard" value="{visitor}"' in html
    assert written(app) == before
    assert before[0] is None


def test_confirming_the_list_closes_the_call(app, auth, client, put_aboard):
    visitor = put_aboard("contractor", "FITTER")
    auth.login("sso")
    response = client.post(CLOSE, data={"departed_at": "", "aboard": str(visitor)})
    assert response.status_code == 302
    departed_at, snapshots, _ = written(app)
    assert departed_at is not None
    assert snapshots == 1


def test_someone_boarding_after_the_list_was_shown_is_asked_about_again(
    app, auth, client, put_aboard
):
    first = put_aboard("visitor", "FIRST")
    second = put_aboard("authority", "INSPECTOR", hours_ago=0.1)
    auth.login("sso")
    response = client.post(CLOSE, data={"aboard": str(first)})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "More people boarded since you looked" in html
    assert "2 people still aboard" in html
    assert f'name="aboard" value="{second}"' in html
    assert written(app)[0] is None


def test_the_htmx_close_swaps_the_question_into_the_list(app, hx, put_aboard):
    put_aboard("visitor", "SURVEYOR")
    AuthActions(app, hx).login("sso")
    response = hx.post(CLOSE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="port-calls-list"')
    assert 'id="port-calls-close-confirm"' in html
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert written(app)[0] is None


def test_crew_and_passengers_aboard_do_not_hold_the_close(app, auth, client, put_aboard):
    put_aboard("crew", "HANSEN")
    put_aboard("passenger", "TRAVELLER")
    auth.login("sso")
    assert client.post(CLOSE).status_code == 302
    assert written(app)[0] is not None


def test_a_garbled_confirmation_is_refused_and_closes_nothing(app, auth, client, put_aboard):
    put_aboard("visitor", "SURVEYOR")
    auth.login("sso")
    response = client.post(CLOSE, data={"aboard": "1; DROP"})
    assert response.status_code == 400
    assert "close again" in response.get_data(as_text=True)
    assert written(app)[0] is None


def test_the_api_answers_409_with_the_list_until_confirm_aboard(app, auth, client, put_aboard):
    visitor = put_aboard("visitor", "SURVEYOR", company="Class Society")
    auth.login("sso")
    before = written(app)
    refused = client.post(API_CLOSE, json={})
    body = refused.get_json()
    assert refused.status_code == 409
    assert body["error"] == "still_aboard"
    [person] = body["aboard"]
    assert (person["id"], person["name"], person["kind"]) == (visitor, "SURVEYOR, Eve", "visitor")
    assert person["boarded_at"] == (NOW - timedelta(hours=3)).isoformat()
    assert person["access_point"] == "MAIN-GW"
    assert written(app) == before
    assert client.post(API_CLOSE, json={"confirm_aboard": "yes"}).status_code == 400
    assert written(app) == before
    closed = client.post(API_CLOSE, json={"confirm_aboard": True})
    assert closed.status_code == 200
    assert closed.get_json()["is_open"] is False


def test_no_second_call_is_offered_while_one_is_open(app, auth, client):
    auth.login("sso")
    page = client.get("/sso/port-calls/").get_data(as_text=True)
    assert "<h2>Open a port call</h2>" not in page
    assert 'data-testid="call-open"' in page
    client.post(CLOSE, data={"departed_at": ""})
    assert written(app)[0] is not None
    page = client.get("/sso/port-calls/").get_data(as_text=True)
    assert "<h2>Open a port call</h2>" in page
