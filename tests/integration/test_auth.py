"""Logging in, throttling, hashing, the secret key, and the watch tablet's idle timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gangway.extensions import db
from gangway.services.accounts.accounts import create_token, create_user
from tests.conftest import FAST_HASH, NOW, PASSWORD


def test_watch_logs_in_and_lands_on_the_scan_page(client, make_user):
    make_user("watch")
    response = client.post("/login", data={"username": "watch", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location.endswith("/watch/")


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user):
    make_user("watch")
    response = client.post("/login", data={"username": "watch", "password": "nope"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    unknown = client.post("/login", data={"username": "ghost", "password": "nope"})
    assert unknown.get_data(as_text=True).count("Wrong username or password") == 1


def test_password_is_stored_hashed(app, make_user):
    user = make_user("sso")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(client, make_user, target):
    make_user("watch")
    response = client.post(
        f"/login?next={target}", data={"username": "watch", "password": PASSWORD}
    )
    assert response.location.endswith("/watch/")


def test_login_returns_to_the_page_asked_for(client, make_user):
    make_user("sso")
    response = client.post(
        "/login?next=/sso/onboard", data={"username": "sso", "password": PASSWORD}
    )
    assert response.location.endswith("/sso/onboard")


def test_expired_session_sends_htmx_to_login_by_redirect_header_not_a_swapped_form(client):
    response = client.post("/watch/scan", data={"code": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert b"<form" not in response.data


def test_expired_session_on_a_page_redirects_to_login(client):
    response = client.get("/watch/")
    assert response.status_code == 302
    assert "/login?next=" in response.location


def test_responses_carry_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_app_refuses_to_start_in_production_with_a_default_secret(tmp_path):
    from gangway import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev"}, instance_path=tmp_path)


def test_app_creates_and_keeps_its_own_secret_when_none_is_configured(tmp_path):
    from gangway import create_app

    first = create_app(instance_path=tmp_path).config["SECRET_KEY"]
    assert len(first) >= 32
    assert create_app(instance_path=tmp_path).config["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_htmx_login_redirect_returns_to_the_page_not_the_fragment_url(client):
    response = client.post(
        "/watch/scan",
        headers={"HX-Request": "true", "HX-Current-URL": "http://tablet.local/watch/"},
    )
    assert response.headers["HX-Redirect"] == "/login?next=/watch/"


def test_lost_session_with_csrf_on_still_sends_htmx_to_login(tmp_path):
    from tests.conftest import build_app, dispose

    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        response = app.test_client().post(
            "/watch/scan", data={"code": "x"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 401
        assert response.headers["HX-Redirect"].startswith("/login")
    finally:
        dispose(app)


def test_new_passwords_are_hashed_with_scrypt_by_default(app):
    with app.app_context():
        user = create_user(db.session, "skipper", "master", PASSWORD)
        assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize("secret", ["dev", "changeme", "short-key"])
def test_app_refuses_to_start_outside_tests_with_a_known_or_short_secret(tmp_path, secret):
    from gangway import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": secret}, instance_path=tmp_path)


def at(monkeypatch, minutes: float):
    """Move the app's clock to `minutes` after NOW (the idle timeout reads web.auth.utcnow)."""
    monkeypatch.setattr("gangway.web.auth.utcnow", lambda: NOW + timedelta(minutes=minutes))


POLL = {"HX-Request": "true", "HX-Current-URL": "http://tablet.local/watch/"}


def test_an_idle_watch_tablet_is_logged_out_and_offers_a_quick_re_login(
    app, client, auth, monkeypatch
):
    at(monkeypatch, 0)
    auth.login("watch")
    at(monkeypatch, app.config["WATCH_IDLE_MINUTES"] + 1)
    poll = client.get("/watch/onboard-count", headers=POLL)
    assert poll.status_code == 401
    assert poll.headers["HX-Redirect"] == "/login?next=/watch/"
    page = client.get("/login?next=/watch/").get_data(as_text=True)
    assert "Logged out after 15 minutes without use" in page
    assert 'value="watch"' in page
    response = client.post("/login?next=/watch/", data={"username": "watch", "password": PASSWORD})
    assert response.location.endswith("/watch/")
    assert client.get("/watch/").status_code == 200
    assert "Logged out after" not in client.get("/login").get_data(as_text=True)


def test_polling_does_not_keep_a_watch_session_alive_but_scanning_does(
    app, client, auth, monkeypatch
):
    at(monkeypatch, 0)
    auth.login("watch")
    at(monkeypatch, 10)
    assert client.get("/watch/onboard-count", headers=POLL).status_code == 200
    client.post("/watch/scan", data={"code": "not a badge"}, headers=POLL)  # use: a scan
    at(monkeypatch, 24)
    assert client.get("/watch/onboard-count", headers=POLL).status_code == 200
    at(monkeypatch, 26)
    assert client.get("/watch/onboard-count", headers=POLL).status_code == 401


def test_an_idle_watch_page_load_redirects_to_the_re_login_not_an_error(
    app, client, auth, monkeypatch
):
    at(monkeypatch, 0)
    auth.login("watch")
    at(monkeypatch, 16)
    response = client.get("/watch/")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert "Enter the password for <strong>watch</strong>" in client.get(
        response.location
    ).get_data(as_text=True)


def test_the_sso_and_api_tokens_have_no_idle_timeout(app, client, auth, monkeypatch):
    at(monkeypatch, 0)
    auth.login("sso")
    at(monkeypatch, 600)
    assert client.get("/sso/onboard").status_code == 200
    with app.app_context():
        watch = create_user(db.session, "tablet", "watch", PASSWORD, hash_method=FAST_HASH)
        db.session.flush()
        token = create_token(db.session, watch, "scanner")
        db.session.commit()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/onboard", headers=headers).status_code == 200
    at(monkeypatch, 1200)
    assert api.get("/api/v1/onboard", headers=headers).status_code == 200


def test_a_role_without_a_page_on_the_ship_lands_on_its_account_page_not_in_a_loop(client, auth):
    """A CSO's fleet page exists only ashore: on board the account page is their home."""
    assert auth.login("cso").location == "/"
    assert client.get("/").status_code == 200
