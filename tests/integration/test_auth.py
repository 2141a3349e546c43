"""Logging in, throttling, roles on every route, and what an expired session does."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


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


def test_repeated_failures_lock_the_account_even_for_the_right_password(app, client, make_user):
    make_user("watch")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "watch", "password": "guess"})
    locked = client.post("/login", data={"username": "watch", "password": PASSWORD})
    assert locked.status_code == 401


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
