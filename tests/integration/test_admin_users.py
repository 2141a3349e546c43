"""The admin's user screens: create, role, facility, disable, password; each chained.

Every change must be an audit chain entry naming the admin, bad input must change nothing (no
row, no entry), and the last enabled admin can be neither disabled nor demoted.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, User
from gangway.extensions import db
from gangway.services.audit.verify import verify_log
from tests.conftest import PASSWORD, build_app, dispose

NEW_PASSWORD = "a new secret phrase"
OTHER_ROLES = ["watch", "sso", "master", "pfso"]


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalars(select(User.id).where(User.username == username)).one()


def user_row(app, username: str) -> User:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        db.session.expunge(user)
        return user


def kinds(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.seq)))


def events(app, kind: str) -> list[dict]:
    with app.app_context():
        payloads = db.session.scalars(select(AuditEntry.payload).where(AuditEntry.kind == kind))
        return [json.loads(p) for p in payloads]


def entry_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


def chain_is_ok(app) -> bool:
    with app.app_context():
        ok = verify_log(db.session).ok
        db.session.rollback()
        return ok


def log_in(app, username: str, password: str = PASSWORD):
    """Log a fresh client in; return it and the login's answer."""
    client = app.test_client()
    return client, client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def admin(auth, client):
    """The test client, logged in as the admin."""
    auth.login("admin")
    return client


def test_the_admin_lands_on_the_users_screen_and_sees_every_user(client, make_user):
    make_user("admin")
    make_user("watch")
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.location.endswith("/admin/users")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'data-username="watch"' in page
    assert 'data-username="admin"' in page
    assert "Gangway watch" in page
    assert "screens for this role arrive" not in page


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_admin_route_refuses_every_other_role(app, auth, client, make_user, role):
    make_user("watch", username="target")
    auth.login(role)
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin")]
    assert len(rules) >= 12
    before = entry_count(app)
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            url = rule.rule.replace("<int:user_id>", "1").replace("<int:token_id>", "1")
            response = client.open(url, method=method, data={"role": "admin", "enabled": "0"})
            assert response.status_code == 403, (method, url)
    assert entry_count(app) == before
    assert user_row(app, "target").role == "watch"


def test_the_admin_adds_a_user_who_logs_in_and_it_is_chained_with_the_admins_name(app, admin):
    form = {"username": "bosun", "display_name": "Jan Bos", "role": "watch"}
    response = admin.post("/admin/users", data={**form, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Added bosun" in admin.get("/admin/users").get_data(as_text=True)
    _, login = log_in(app, "bosun", NEW_PASSWORD)
    assert login.location.endswith("/watch/")
    assert "user.created" in kinds(app)
    (event,) = events(app, "admin.user_created")
    assert event["by"] == "admin"
    assert event["user"] == "bosun"
    assert event["generated"] is False
    assert NEW_PASSWORD not in json.dumps(event)
    assert chain_is_ok(app)


def test_a_password_left_empty_is_made_up_shown_once_and_the_user_must_replace_it(app, admin):
    response = admin.post(
        "/admin/users", data={"username": "cook", "role": "watch", "must_change": "1"}
    )
    assert response.status_code == 200  # shown in the answer itself, not through the session
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    made_up = page.split('data-testid="secret-value">')[1].split("<")[0]
    assert len(made_up) == 19
    assert made_up not in admin.get("/admin/users").get_data(as_text=True)
    cook, login = log_in(app, "cook", made_up)
    assert login.status_code == 302
    assert cook.get("/watch/").location.endswith("/account/password")
    changed = cook.post(
        "/account/password",
        data={"current_password": made_up, "password": NEW_PASSWORD, "again": NEW_PASSWORD},
    )
    assert changed.location.endswith("/watch/")
    assert cook.get("/watch/").status_code == 200
    assert kinds(app).count("user.password_changed") == 1
    assert chain_is_ok(app)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"username": "bob", "role": "watch", "password": "short"}, "password"),
        ({"username": "admin", "role": "watch", "password": NEW_PASSWORD}, "username"),
        ({"username": "bob", "role": "captain", "password": NEW_PASSWORD}, "role"),
        ({"username": "", "role": "watch", "password": NEW_PASSWORD}, "username"),
        ({"username": "bob", "role": "pfso", "password": NEW_PASSWORD}, "facility_name"),
        (
            {"username": "bob", "role": "pfso", "facility_name": "X", "facility_unlocode": "NL"},
            "facility_unlocode",
        ),
        ({"username": "bob", "role": "sso", "display_name": "x" * 121}, "display_name"),
    ],
)
def test_a_user_the_admin_cannot_add_changes_nothing(app, admin, form, field):
    before = entry_count(app)
    response = admin.post("/admin/users", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'data-field="{field}"' in page
    assert 'class="error" role="alert"' in page  # told at the field
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert entry_count(app) == before


def test_htmx_gets_the_list_fragment_back_with_the_error(app, admin):
    response = admin.post(
        "/admin/users", data={"username": "x", "role": "watch", "password": "short"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert page.strip().startswith('<section id="admin-users"')
    assert "HX-Request" in response.headers["Vary"]


def test_a_role_change_is_chained_with_who_made_it(app, admin, make_user):
    make_user("watch", username="ab")
    response = admin.post(f"/admin/users/{user_id(app, 'ab')}/role", data={"role": "sso"})
    assert response.status_code == 302
    assert user_row(app, "ab").role == "sso"
    assert "user.role_changed" in kinds(app)
    (event,) = events(app, "admin.role_changed")
    assert (event["by"], event["user"], event["was"], event["role"]) == (
        "admin",
        "ab",
        "watch",
        "sso",
    )
    assert chain_is_ok(app)


def test_a_pfso_gets_a_facility_before_the_role_and_both_are_chained(app, admin, make_user):
    make_user("watch", username="shore")
    uid = user_id(app, "shore")
    refused = admin.post(f"/admin/users/{uid}/role", data={"role": "pfso"})
    assert refused.status_code == 400
    assert "port facility first" in refused.get_data(as_text=True)
    facility = {"facility_name": "Euromax", "facility_unlocode": "nlrtm"}
    assert admin.post(f"/admin/users/{uid}/facility", data=facility).status_code == 302
    assert admin.post(f"/admin/users/{uid}/role", data={"role": "pfso"}).status_code == 302
    row = user_row(app, "shore")
    assert (row.role, row.facility_name, row.facility_unlocode) == ("pfso", "Euromax", "NLRTM")
    assert "user.facility_changed" in kinds(app)
    assert events(app, "admin.facility_changed")[0]["facility_unlocode"] == "NLRTM"
    bad = admin.post(f"/admin/users/{uid}/facility", data={"facility_unlocode": "R0TTERDAM"})
    assert bad.status_code == 400
    assert user_row(app, "shore").facility_unlocode == "NLRTM"
    assert chain_is_ok(app)


def test_a_disabled_user_is_logged_out_and_refused_until_enabled_again(app, admin, make_user):
    make_user("sso")
    sso, _ = log_in(app, "sso")
    assert sso.get("/sso/onboard").status_code == 200
    uid = user_id(app, "sso")
    assert admin.post(f"/admin/users/{uid}/enabled", data={"enabled": "0"}).status_code == 302
    assert sso.get("/sso/onboard").status_code == 302  # the open session ends
    assert log_in(app, "sso")[1].status_code == 401
    again = admin.post(f"/admin/users/{uid}/enabled", data={"enabled": "0"})
    assert again.status_code == 400
    assert admin.post(f"/admin/users/{uid}/enabled", data={"enabled": "1"}).status_code == 302
    assert log_in(app, "sso")[1].status_code == 302
    assert kinds(app).count("user.enabled_changed") == 2
    assert [e["by"] for e in events(app, "admin.user_disabled")] == ["admin"]
    assert chain_is_ok(app)


def test_the_last_enabled_admin_can_be_neither_disabled_nor_demoted(app, admin, make_user):
    me = user_id(app, "admin")
    before = entry_count(app)
    for url, form in ((f"/admin/users/{me}/enabled", {"enabled": "0"}),
                      (f"/admin/users/{me}/role", {"role": "sso"})):  # fmt: skip
        response = admin.post(url, data=form)
        assert response.status_code == 400
        assert "last enabled admin" in response.get_data(as_text=True)
    row = user_row(app, "admin")
    assert (row.role, row.is_enabled) == ("admin", True)
    assert entry_count(app) == before
    make_user("admin", username="second")
    second = user_id(app, "second")
    assert admin.post(f"/admin/users/{second}/enabled", data={"enabled": "0"}).status_code == 302
    # A disabled admin does not count: the only enabled one is still kept.
    assert admin.post(f"/admin/users/{me}/role", data={"role": "sso"}).status_code == 400
    assert admin.post(f"/admin/users/{second}/enabled", data={"enabled": "1"}).status_code == 302
    assert admin.post(f"/admin/users/{me}/role", data={"role": "sso"}).status_code == 302
    assert chain_is_ok(app)


def test_after_a_password_reset_the_user_chooses_their_own(app, admin, make_user):
    make_user("watch")
    uid = user_id(app, "watch")
    response = admin.post(
        f"/admin/users/{uid}/password", data={"password": NEW_PASSWORD, "must_change": "1"}
    )
    assert response.status_code == 302
    assert "secret-value" not in admin.get(response.location).get_data(as_text=True)
    watch, login = log_in(app, "watch", NEW_PASSWORD)
    assert login.status_code == 302
    assert watch.get("/watch/").location.endswith("/account/password")
    assert watch.get("/level-band").status_code == 200  # the page's own poll is let through
    api = watch.get("/api/v1/ping")
    assert (api.status_code, api.json["error"]) == (403, "password_change_required")
    same = {"current_password": NEW_PASSWORD, "password": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert watch.post("/account/password", data=same).status_code == 400
    differ = {**same, "password": "another phrase here", "again": "another phrase there"}
    assert watch.post("/account/password", data=differ).status_code == 400
    ok = {**same, "password": "my own watch phrase", "again": "my own watch phrase"}
    assert watch.post("/account/password", data=ok).status_code == 302
    assert watch.get("/watch/").status_code == 200
    (event,) = events(app, "admin.password_reset")
    assert event["generated"] is False
    assert kinds(app).count("user.password_changed") == 2
    assert chain_is_ok(app)


def test_a_wrong_current_password_changes_nothing(app, auth, client):
    auth.login("sso")
    before = user_row(app, "sso").password_hash
    form = {"current_password": "not it at all", "password": NEW_PASSWORD, "again": NEW_PASSWORD}
    response = client.post("/account/password", data=form)
    assert response.status_code == 400
    assert "not your current password" in response.get_data(as_text=True)
    assert user_row(app, "sso").password_hash == before


def test_an_admin_change_without_the_csrf_token_is_refused_and_changes_nothing(tmp_path):
    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            from gangway.services.accounts.accounts import create_user

            create_user(db.session, "admin", "admin", PASSWORD, hash_method="pbkdf2:sha256:1000")
            db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        form = {"username": "admin", "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302
        before = entry_count(app)
        response = client.post("/admin/users", data={"username": "x", "role": "sso"})
        assert response.status_code == 400
        assert client.post("/admin/users/1/enabled", data={"enabled": "0"}).status_code == 400
        assert entry_count(app) == before
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(User)) == 1
    finally:
        dispose(app)
