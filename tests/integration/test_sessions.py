"""Logout ends the session on the server; token calls never carry a session cookie; CSRF on
every call the cookie authenticates, whatever other headers it carries."""

from __future__ import annotations

import re

import pytest

from gangway.db.models import Movement, Refusal, User
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token
from tests.integration.test_security import count, csrf_app, log_in  # noqa: F401

TOKEN_GETS = ["/api/v1/onboard", "/api/v1/access-points", "/api/v1/ping", "/api/v1/offline-pack"]
SCAN = {"code": "GW1:NOTABADGE", "access_point": "MAIN-GW", "direction": "board"}


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_saved_before_logout_no_longer_works(app, auth, client):
    auth.login("watch")
    saved = session_cookie(client)
    assert client.get("/api/v1/onboard").status_code == 200
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/api/v1/onboard").status_code == 401
    assert replay.post("/api/v1/scans", json=SCAN).status_code == 401
    assert replay.get("/watch/").status_code == 302  # to the login page


def test_logging_out_one_tablet_leaves_the_other_logged_in(app, auth, client):
    auth.login("watch")
    other = app.test_client()
    assert other.post("/login", data={"username": "watch", "password": "correct horse battery"})
    auth.logout()
    assert other.get("/api/v1/onboard").status_code == 200


@pytest.fixture
def bearer(app, make_user):
    user = make_user("watch", username="script")
    with app.app_context():
        value = create_token(db.session, db.session.get(User, user.id), "script")
        db.session.commit()
    return {"Authorization": f"Bearer {value}"}


def test_a_token_call_never_sets_a_cookie_and_a_client_keeping_cookies_still_works(client, bearer):
    for path in TOKEN_GETS:
        answer = client.get(path, headers=bearer)
        assert answer.status_code == 200, path
        assert "Set-Cookie" not in answer.headers, path
    scanned = client.post("/api/v1/scans", json=SCAN, headers=bearer)
    assert "Set-Cookie" not in scanned.headers
    client.set_cookie("session", "eyJjc3JmX3Rva2VuIjoiYWJjIn0.x.y")  # any cookie sent back
    for path in TOKEN_GETS:
        assert client.get(path, headers=bearer).status_code == 200, path
    assert client.post("/api/v1/scans", json=SCAN, headers=bearer).status_code == 201


@pytest.mark.parametrize(
    "authorization", ["Basic d2F0Y2g6eA==", "Bearer gw_bogus", "Token x", "bearer gw_x"]
)
def test_a_cookie_session_with_any_authorization_header_still_needs_the_csrf_token(
    csrf_app,  # noqa: F811
    authorization,
):
    client = log_in(csrf_app, "watch")
    answer = client.post("/api/v1/scans", json=SCAN, headers={"Authorization": authorization})
    assert answer.status_code in (400, 401)
    assert (count(csrf_app, Movement), count(csrf_app, Refusal)) == (0, 0)


def test_a_cookie_session_with_the_csrf_token_may_post(csrf_app):  # noqa: F811
    client = log_in(csrf_app, "watch")
    token = client.get("/api/v1/offline-pack").get_json()["csrf_token"]
    answer = client.post("/api/v1/scans", json=SCAN, headers={"X-CSRFToken": token})
    assert answer.status_code == 201
    assert count(csrf_app, Refusal) == 1


def test_a_cookie_saved_before_the_idle_logout_stays_logged_out(app, auth, client, monkeypatch):
    from tests.integration.test_auth import POLL, at

    at(monkeypatch, 0)
    auth.login("watch")
    saved = session_cookie(client)
    at(monkeypatch, app.config["WATCH_IDLE_MINUTES"] + 1)
    assert client.get("/watch/onboard-count", headers=POLL).status_code == 401
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/watch/onboard-count", headers=POLL).status_code == 401
    assert replay.post("/api/v1/scans", json=SCAN).status_code == 401


def test_no_api_answer_to_a_token_sets_a_cookie(app, client, bearer):
    paths = [
        re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and "GET" in rule.methods
    ]
    assert len(paths) > 15
    for path in paths:
        answer = client.get(path, headers=bearer)
        assert answer.status_code < 500, path
        assert "Set-Cookie" not in answer.headers, path
