"""Hardening: CSRF on every form and htmx request, security headers on every kind of response,
and session cookies that never leave TLS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Movement, Refusal, WatchListEntry
from gangway.extensions import db
from gangway.services.accounts.accounts import create_user
from gangway.web.login_throttle import Client, LoginThrottle
from tests.conftest import FAST_HASH, PASSWORD, build_app, dispose

TEMPLATES = Path(__file__).resolve().parents[2] / "gangway" / "templates"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN_HEADER = re.compile(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")


@pytest.fixture
def csrf_app(tmp_path):
    """The app with CSRF protection on, as it runs for real."""
    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    yield app
    dispose(app)


def log_in(app, role: str):
    """Log a new client in through the real form, CSRF token included."""
    with app.app_context():
        create_user(db.session, role, role, PASSWORD, hash_method=FAST_HASH)
        db.session.commit()
    client = app.test_client()
    token = TOKEN_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    form = {"username": role, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form).status_code == 302
    return client


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_form_posted_without_its_csrf_token_is_refused_and_writes_nothing(csrf_app):
    client = log_in(csrf_app, "sso")
    page = client.get("/sso/watch-list/").get_data(as_text=True)
    entry = {"family_name": "DOE", "given_names": "John", "reason": "Stowaway"}
    refused = client.post("/sso/watch-list/", data=entry)
    assert refused.status_code == 400
    assert "This page has expired" in refused.get_data(as_text=True)
    assert count(csrf_app, WatchListEntry) == 0
    token = TOKEN_FIELD.search(page).group(1)
    assert client.post("/sso/watch-list/", data={**entry, "csrf_token": token}).status_code == 302
    assert count(csrf_app, WatchListEntry) == 1


def test_an_htmx_scan_without_the_csrf_header_is_refused_and_records_nothing(csrf_app):
    client = log_in(csrf_app, "watch")
    page = client.get("/watch/").get_data(as_text=True)
    client.post("/watch/access-point", data={"access_point": "MAIN-GW", "csrf_token": "x"})
    hx = {"HX-Request": "true"}
    refused = client.post("/watch/scan", data={"code": "GW1:NOTABADGE"}, headers=hx)
    assert "This page has expired" in refused.get_data(as_text=True)
    assert (count(csrf_app, Movement), count(csrf_app, Refusal)) == (0, 0)
    # htmx sends the token from <body hx-headers> with every request it makes.
    token = TOKEN_HEADER.search(page).group(1)
    headers = {**hx, "X-CSRFToken": token}
    client.post("/watch/access-point", data={"access_point": "MAIN-GW"}, headers=headers)
    answered = client.post("/watch/scan", data={"code": "GW1:NOTABADGE"}, headers=headers)
    assert answered.status_code == 200
    assert count(csrf_app, Refusal) == 1


def test_every_form_that_posts_carries_the_csrf_token():
    forms = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S):
            if re.search(r'method="post"|hx-post', form):
                forms.append((path.name, "csrf_token()" in form or "carried(" in form))
    assert len(forms) > 20
    assert [name for name, has_token in forms if not has_token] == []


def test_htmx_gets_the_token_on_every_page_and_no_inline_script_anywhere():
    assert (
        'hx-headers=\'{"X-CSRFToken": "{{ csrf_token() }}"}\''
        in (TEMPLATES / "base.html").read_text()
    )
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path  # CSP: no inline
        assert not re.search(r"\son[a-z]+=|\sstyle=\"|hx-on", text), path


PAGES = [  # (role, URL, extra headers): one of every kind of response
    ("sso", "/sso/onboard", {}),  # HTML page
    ("sso", "/watch/onboard-count", {"HX-Request": "true"}),  # htmx fragment
    ("sso", "/api/v1/security-level", {}),  # JSON
    ("sso", "/sso/lists/crew/template.csv", {}),  # download
    ("sso", "/sso/muster.pdf", {}),  # PDF
    ("sso", "/static/css/app.css", {}),  # static file
    ("sso", "/no-such-page", {}),  # error page
    ("sso", "/login", {}),  # redirect
    (None, "/login", {}),  # login form
    (None, "/api/v1/onboard", {}),  # JSON 401
]


@pytest.mark.parametrize(("role", "url", "headers"), PAGES, ids=[u for _, u, _ in PAGES])
def test_every_kind_of_response_carries_the_security_headers(auth, client, role, url, headers):
    if role:
        auth.login(role)
    response = client.get(url, headers=headers)
    response.close()  # a static file's stream stays open otherwise
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def login_cookie(app, base_url: str, headers: dict | None = None) -> str:
    """Log the watch in and return the Set-Cookie header of the session."""
    response = app.test_client().post(
        "/login",
        data={"username": "watch", "password": PASSWORD},
        base_url=base_url,
        headers=headers or {},
    )
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_the_session_cookie_is_secure_over_tls_and_http_only_always(app, make_user):
    make_user("watch")
    assert "Secure" in login_cookie(app, "https://tablet.local")
    plain = login_cookie(app, "http://localhost")
    assert "Secure" not in plain
    assert "HttpOnly" in plain
    assert "SameSite=Lax" in plain


def test_behind_a_trusted_proxy_saying_https_the_cookie_is_secure(tmp_path):
    app = build_app(tmp_path / "proxy", TRUSTED_PROXIES=1)
    try:
        with app.app_context():
            create_user(db.session, "watch", "watch", PASSWORD, hash_method=FAST_HASH)
            db.session.commit()
        https = {"X-Forwarded-Proto": "https"}
        assert "Secure" in login_cookie(app, "http://127.0.0.1", https)
    finally:
        dispose(app)


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(app, make_user):
    make_user("watch")
    assert "Secure" not in login_cookie(app, "http://localhost", {"X-Forwarded-Proto": "https"})


def test_a_client_failing_logins_under_many_names_is_held_off_before_the_database(app, make_user):
    make_user("watch", username="deck")
    client = app.test_client()
    with app.app_context():
        entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
    limit = app.config["LOGIN_FAILURES_PER_ADDRESS"]
    for i in range(limit):
        assert client.post("/login", data={"username": f"u{i}", "password": "x"}).status_code == 401
    refused = client.post("/login", data={"username": "deck", "password": PASSWORD})
    assert refused.status_code == 429  # even the right password waits: no oracle, no write
    assert "Too many wrong passwords" in refused.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert after == entries + limit  # one chain entry per failure let through, none after
    other = app.test_client()  # another tablet
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert other.post("/login", data={"username": "deck", "password": PASSWORD}).status_code == 302


def test_the_failure_count_per_address_ebbs_after_the_window():
    now = [0.0]
    throttle = LoginThrottle(address_free=4, window_s=900, clock=lambda: now[0])
    for i in range(4):
        throttle.failed(f"u{i}", Client("address:10.0.0.5", "10.0.0.5", False))
    assert throttle.wait_s("deck", Client("address:10.0.0.5", "10.0.0.5", False)) == 1
    assert throttle.wait_s("deck", Client("address:10.0.0.6", "10.0.0.6", False)) == 0
    now[0] = 901.0
    assert throttle.wait_s("deck", Client("address:10.0.0.5", "10.0.0.5", False)) == 0
