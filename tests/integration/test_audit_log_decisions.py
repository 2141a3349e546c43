"""What a scan is decided on is on the record: the ship's level and plan, and who is aboard.

An edit beside the app (raw SQL, as with a database client) is named by `gangway verify-log`,
and the gangway decides no scan on it: the watch reads why, the API answers 409, the SSO is told.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gangway.background import mail
from gangway.db.models import AuditEntry, Movement, Refusal, Ship, User
from gangway.extensions import db
from gangway.services.ship.plan_settings import set_suspension
from gangway.services.ship.security_level import set_level
from tests.conftest import NOW
from tests.integration.test_audit_log import problems, sql, verify
from tests.integration.test_offline_api import pack_issued, token_headers

MISMATCH = "Records do not match the log — call the SSO"


@pytest.fixture
def token(app, make_user):
    """A tablet's token (a device, so that it may send the scans it made offline)."""
    return token_headers(app, make_user("watch", username="api-watch").id, device=True)


def api_scan(client, token, code, direction="board"):
    body = {"code": code, "access_point": "MAIN-GW", "direction": direction, "purpose": "Stores"}
    return client.post("/api/v1/scans", json=body, headers=token)


def records(app) -> tuple[int, int]:
    with app.app_context():
        count = func.count()
        return (
            db.session.scalar(select(count).select_from(Movement)),
            db.session.scalar(select(count).select_from(Refusal)),
        )


def set_level_3(app, make_user):
    sso = make_user("sso", username="level-sso")
    with app.app_context():
        level = {"level": 3, "reason": "Threat", "ordered_by": "flag_state"}
        user = db.session.get(User, sso.id)
        set_level(db.session, **level, notified_at=NOW, complied_at=None, user=user, now=NOW)
        db.session.commit()


def mismatches(app) -> list[str]:
    with app.app_context():
        kind = AuditEntry.kind == "records.mismatch"
        return list(db.session.scalars(select(AuditEntry.payload).where(kind)))


def test_a_level_lowered_with_sql_is_named_and_no_scan_is_decided_on_it(
    app, client, runner, token, make_user, make_badge
):
    set_level_3(app, make_user)
    visitor = make_badge(kind="visitor")
    assert api_scan(client, token, visitor).get_json()["verdict"] == "refused"  # level 3
    before = records(app)
    verify(runner, ok=True)
    sql(app, "UPDATE ship SET security_level = 1")
    found = problems(verify(runner))
    assert [code for code, _ in found] == ["row_altered"]
    assert found[0][1].startswith("ship 1 was changed after chain entry #")
    assert "(ship.level_set)" in found[0][1]
    response = api_scan(client, token, visitor)
    assert response.status_code == 409
    assert response.get_json() == {"error": "records_mismatch", "message": MISMATCH}
    assert records(app) == before  # no verdict, nothing recorded
    assert "ship 1 differs from its latest chain entry" in mismatches(app)[0]


def test_a_suspension_lifted_with_sql_stops_the_watch_with_a_clear_message(
    app, hx, auth, runner, make_badge
):
    with app.app_context():
        set_suspension(db.session, embarkation=True, disembarkation=False)
        db.session.commit()
    sql(app, "UPDATE ship SET embarkation_suspended = :f", f=False)
    assert "embarkation_suspended" not in problems(verify(runner))[0][1]  # the row is named
    auth.login("watch")
    hx.set_cookie(**_cookie(auth))
    crew = make_badge()
    body = hx.post("/watch/scan", data={"code": crew, "direction": "board"}).get_data(True)
    assert MISMATCH in body
    assert "allowed" not in body.lower()
    assert records(hx.application) == (0, 0)


def _cookie(auth):
    cookie = auth._client.get_cookie("session")
    return {"key": "session", "value": cookie.value}


def test_the_gangway_follows_level_and_plan_changes_made_through_the_app(
    app, client, token, make_user, make_badge
):
    visitor = make_badge(kind="visitor")
    assert api_scan(client, token, visitor).get_json()["verdict"] == "allowed"
    set_level_3(app, make_user)
    crew = make_badge()
    assert api_scan(client, token, crew).get_json()["verdict"] == "allowed"
    assert api_scan(client, token, visitor, "depart").get_json()["verdict"] == "allowed"
    assert api_scan(client, token, visitor).get_json()["verdict"] == "refused"
    with app.app_context():
        set_suspension(db.session, embarkation=True, disembarkation=False)
        db.session.commit()
    assert api_scan(client, token, crew, "depart").get_json()["verdict"] == "allowed"
    assert api_scan(client, token, crew).get_json()["reasons"][0]["code"] == (
        "embarkation_suspended"
    )
    assert mismatches(app) == []


def test_presence_cleared_with_sql_is_named_and_those_persons_are_not_decided(
    app, client, runner, token, make_badge
):
    badges = [make_badge() for _ in range(4)]
    for code in badges:
        assert api_scan(client, token, code).get_json()["verdict"] == "allowed"
    with app.app_context():
        onboard = db.session.scalars(select(Movement.person_id).order_by(Movement.id)).all()
    verify(runner, ok=True)
    sql(app, "UPDATE person SET aboard_movement_id = NULL WHERE id IN (:a, :b, :c)",
        a=onboard[0], b=onboard[1], c=onboard[2])  # fmt: skip
    found = problems(verify(runner))
    assert [code for code, _ in found] == ["presence_altered"] * 3
    assert found[0][1] == (
        f"person {onboard[0]} aboard_movement_id shows them ashore, but the chained movements "
        f"put them aboard since movement 1"
    )
    response = api_scan(client, token, badges[0], "depart")
    assert (response.status_code, response.get_json()["error"]) == (409, "records_mismatch")
    assert api_scan(client, token, badges[3], "depart").get_json()["verdict"] == "allowed"


def test_presence_pointed_at_another_movement_is_named(app, client, runner, token, make_badge):
    first, second = make_badge(), make_badge()
    for code in (first, second):
        api_scan(client, token, code)
    api_scan(client, token, second, "depart")  # movement 3: the second person left
    sql(app, "UPDATE person SET aboard_movement_id = 2 WHERE id = "
        "(SELECT person_id FROM movement WHERE id = 3)")  # fmt: skip
    assert [code for code, _ in problems(verify(runner))] == ["presence_altered"]
    assert api_scan(client, token, second).status_code == 409


def test_the_sso_is_mailed_once_about_a_mismatch(app, client, token, make_badge, monkeypatch):
    sent = []
    app.config.update(MAIL_SERVER="localhost", SSO_EMAIL="sso@ship.example")
    monkeypatch.setattr(mail, "_mismatch_mailed", {})
    monkeypatch.setattr(mail._runner, "submit", lambda app, item: sent.append(item))
    crew = make_badge()
    sql(app, "UPDATE ship SET search_percent_1 = 0, search_crew = :t", t=True)
    for _ in range(3):
        assert api_scan(client, token, crew).status_code == 409
    assert sent == ["ship 1 differs from its latest chain entry"]
    message = mail.mismatch_alert(app, sent[0])
    assert "RECORDS DO NOT MATCH THE LOG" in message["Subject"]
    assert len(mismatches(app)) == 3


def test_a_late_movement_older_than_the_last_crossing_leaves_presence_as_verified(
    app, client, runner, token, make_badge
):
    crew = make_badge()
    api_scan(client, token, crew)
    scanned = NOW - timedelta(hours=1)
    late = scanned.replace(tzinfo=None).isoformat() + "Z"
    pack = pack_issued(client, token, scanned - timedelta(minutes=1))
    body = {"code": crew, "access_point": "MAIN-GW", "direction": "depart", "scanned_at": late,
            "client_key": str(uuid.uuid4()), "offline_verdict": "allowed",
            "pack_id": pack}  # fmt: skip
    response = client.post("/api/v1/scans", json=body, headers=token)
    assert response.status_code in (200, 201), response.get_json()
    verify(runner, ok=True)
    with app.app_context():
        assert db.session.scalars(select(Ship)).one().security_level == 1
