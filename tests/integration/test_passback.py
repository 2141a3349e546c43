"""Anti-passback per kind of person: two people on one badge are refused, as the plan says."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import Movement, PlanRevision, Refusal, Ship
from gangway.extensions import db
from tests.integration import test_offline_api as offline
from tests.integration.test_offline_api import late, scan

headers, alerts = offline.headers, offline.alerts  # the same fixtures here
HX = {"HX-Request": "true"}


def board(client, code):
    data = {"code": code, "direction": "board"}
    return client.post("/watch/scan", data=data, headers=HX).get_data(as_text=True)


def recorded(app) -> tuple[list[str], list[str]]:
    """Return (movement flags, refusal reason codes) in order."""
    with app.app_context():
        flags = list(db.session.scalars(select(Movement.flags).order_by(Movement.id)))
        codes = list(db.session.scalars(select(Refusal.reason_code).order_by(Refusal.id)))
    return flags, codes


@pytest.mark.parametrize("kind", ["crew", "visitor"])
def test_two_people_on_one_badge_the_second_is_refused_and_told_why(
    app, auth, client, make_badge, make_person, kind
):
    code = make_badge(make_person(kind=kind, purpose="Stores delivery"))
    auth.login("watch")
    assert 'data-verdict="allowed"' in board(client, code)
    html = board(client, code)
    assert 'data-verdict="refused"' in html
    assert 'data-code="already_aboard"' in html
    assert "the plan refuses boarding twice" in html
    assert "record their departure first" in html
    assert recorded(app) == ([""], ["already_aboard"])


def test_leaving_twice_is_flagged_by_default(app, auth, client, make_badge):
    code = make_badge()
    auth.login("watch")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "depart"}, headers=HX
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert recorded(app) == (["not_aboard"], [])


def test_the_sso_sets_it_per_kind_on_the_plan_page(app, auth, client, make_badge, make_person):
    crew = make_badge()
    visitor = make_badge(make_person(kind="visitor", family="BAKKER", purpose="Survey"))
    auth.login("sso")
    page = client.get("/sso/plan/").get_data(as_text=True)
    assert 'id="plan-passback"' in page
    assert 'name="refuse_board" value="crew"' in page
    form = {"refuse_board": ["visitor", "passenger"], "refuse_depart": ["visitor"]}
    answer = client.post("/sso/plan/passback", data=form, headers=HX).get_data(as_text=True)
    assert "Anti-passback saved." in answer
    auth.login("watch")
    for code in (crew, visitor):
        board(client, code)
    assert 'data-verdict="allowed"' in board(client, crew)  # flagged now
    assert 'data-verdict="refused"' in board(client, visitor)
    assert recorded(app) == (["", "", "already_aboard"], ["already_aboard"])


def test_an_unknown_kind_is_refused_and_changes_nothing(app, auth, client):
    auth.login("sso")
    before = _revisions(app)
    form = {"refuse_board": ["crew", "stowaway"]}
    response = client.post("/sso/plan/passback", data=form)
    assert response.status_code == 400
    assert "Unknown kind of person: stowaway." in response.get_data(as_text=True)
    assert _revisions(app) == before


def test_the_api_reads_and_sets_it(app, auth, client):
    auth.login("sso")
    assert client.get("/api/v1/plan/passback").get_json() == {
        "refuse_board": ["crew", "passenger", "visitor", "contractor", "authority"],
        "refuse_depart": [],
    }
    body = {"refuse_board": ["crew"], "refuse_depart": ["crew", "crew"]}
    answer = client.put("/api/v1/plan/passback", json=body)
    assert answer.status_code == 200
    assert answer.get_json() == {"refuse_board": ["crew"], "refuse_depart": ["crew"]}
    bad = client.put("/api/v1/plan/passback", json={"refuse_board": "crew", "refuse_depart": []})
    assert bad.status_code == 400
    assert client.get("/api/v1/plan/passback").get_json()["refuse_board"] == ["crew"]


def test_a_late_check_is_judged_by_the_plan_of_its_time(app, client, headers, make_badge):
    code = make_badge()
    assert scan(client, headers, code).get_json()["verdict"] == "allowed"  # aboard now
    _set(app, passback_refuse_board="")  # flagged for a while
    flagged_at = datetime.now(UTC)
    time.sleep(0.02)
    _set(app, passback_refuse_board="crew")
    with app.app_context():
        kinds = db.session.scalars(select(PlanRevision.passback_refuse_board)).all()
    assert kinds[-2:] == ["", "crew"]  # each change is a revision
    minutes = (datetime.now(UTC) - flagged_at - timedelta(milliseconds=5)).total_seconds() / 60
    body = late(client, headers, code, minutes=minutes).get_json()
    assert body["verdict"] == "allowed"
    assert scan(client, headers, code).get_json()["verdict"] == "refused"


def test_the_offline_pack_carries_the_setting(app, client, headers):
    _set(app, passback_refuse_board="crew,visitor", passback_refuse_depart="visitor")
    policy = client.get("/api/v1/offline-pack", headers=headers).get_json()["policy"]
    assert policy["passback_refuse_board"] == ["crew", "visitor"]
    assert policy["passback_refuse_depart"] == ["visitor"]


def _set(app, **fields):
    with app.app_context():
        ship = db.session.scalars(select(Ship)).one()
        for name, value in fields.items():
            setattr(ship, name, value)
        db.session.commit()


def _revisions(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(PlanRevision.id)).all())
