"""The admin's API tokens (issued once, listed, revoked) and the audit chain's page.

A token is shown once and only its hash is kept; a revoked one gets 401 from the API. The chain
page shows the head and the last verification, which runs in the background and is chained.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from gangway.background import verify_job
from gangway.db.models import ApiToken, AuditEntry, User
from gangway.extensions import db
from gangway.services.accounts.accounts import hash_token
from tests.integration.test_admin_users import chain_is_ok, entry_count, events, kinds, user_id


@pytest.fixture
def admin(auth, client):
    auth.login("admin")
    return client


def issue(admin, owner_id, name="Aft ladder scanner"):
    response = admin.post("/admin/tokens", data={"owner": str(owner_id), "name": name})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def shown_token(response) -> str:
    return response.get_data(as_text=True).split('data-testid="secret-value">')[1].split("<")[0]


def test_a_token_is_shown_once_only_its_hash_is_kept_and_it_works(app, admin, client, make_user):
    make_user("watch")
    response = issue(admin, user_id(app, "watch"))
    assert response.headers["Cache-Control"] == "no-store"
    token = shown_token(response)
    assert token.startswith("gw_")
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert row.token_hash == hash_token(token)
        assert token not in json.dumps([e.payload for e in db.session.scalars(select(AuditEntry))])
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert token not in listing
    assert "Aft ladder scanner" in listing
    assert "Live" in listing
    api = app.test_client().get("/api/v1/ping", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert "api_token.created" in kinds(app)
    (event,) = events(app, "admin.token_created")
    assert (event["by"], event["user"], event["name"]) == ("admin", "watch", "Aft ladder scanner")
    assert chain_is_ok(app)


def test_a_revoked_token_gets_401_and_the_revocation_is_chained(app, admin, make_user):
    make_user("sso")
    token = shown_token(issue(admin, user_id(app, "sso"), "Office"))
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    response = admin.post(f"/admin/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert "Revoked 20" in admin.get("/admin/tokens").get_data(as_text=True)
    api = app.test_client().get("/api/v1/ping", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert "api_token.revoked" in kinds(app)
    assert events(app, "admin.token_revoked")[0]["token_id"] == token_id
    before = entry_count(app)
    assert admin.post(f"/admin/tokens/{token_id}/revoke").status_code == 400
    assert entry_count(app) == before
    assert chain_is_ok(app)


@pytest.mark.parametrize(
    ("owner", "name", "field"),
    [
        ("", "Office", "owner"),
        ("abc", "Office", "owner"),
        ("999", "Office", "owner"),
        ("disabled", "Office", "owner"),
        ("sso", "", "name"),
        ("sso", "x" * 65, "name"),
    ],
)
def test_a_token_the_admin_cannot_issue_changes_nothing(app, admin, make_user, owner, name, field):
    make_user("sso")
    disabled = make_user("watch", username="gone")
    with app.app_context():
        db.session.get(User, disabled.id).is_enabled = False
        db.session.commit()
    owner = {"sso": str(user_id(app, "sso")), "disabled": str(disabled.id)}.get(owner, owner)
    before = entry_count(app)
    response = admin.post("/admin/tokens", data={"owner": owner, "name": name})
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert entry_count(app) == before


def test_the_chain_page_shows_the_head_and_no_verification_yet(app, admin):
    page = admin.get("/admin/audit").get_data(as_text=True)
    with app.app_context():
        seq, head = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc())
        ).first()
    assert f"#{seq} sha256:{head}" in page
    assert "Not verified from this page yet" in page


def test_verify_now_records_an_ok_result_in_the_chain_and_shows_it(app, admin, runner):
    response = admin.post("/admin/audit/verify", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.strip().startswith('<section id="admin-chain"')
    assert "<strong>OK</strong>" in page
    assert "Asked by</dt><dd>admin" in page
    assert kinds(app)[-1] == "log.verified"
    assert runner.invoke(args=["verify-log"]).exit_code == 0


def test_a_tampered_record_shows_as_failed_in_plain_words(app, admin, make_user):
    make_user("watch", username="deck")
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("UPDATE \"user\" SET role = 'admin' WHERE username = 'deck'"))
    admin.post("/admin/audit/verify")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "<strong>FAILED</strong>" in page
    assert "Records changed after their entry: 1" in page
    assert "row_altered" not in page


def test_the_verification_runs_in_the_background_and_the_page_polls_for_it(app, admin):
    app.config["VERIFY_JOBS"] = "thread"
    response = admin.post("/admin/audit/verify", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in page
    assert "Checking" in page
    after = page.split("/admin/audit?after=")[1].split('"')[0]
    assert verify_job.wait_until_idle(app, timeout=30)
    done = admin.get(f"/admin/audit?after={after}", headers={"HX-Request": "true"})
    html = done.get_data(as_text=True)
    assert "<strong>OK</strong>" in html
    assert "hx-trigger" not in html  # the result is in: polling stops (a fragment: no band)
    plain = admin.post("/admin/audit/verify")  # without JS: back to the page, which waits
    assert plain.status_code == 302
    assert "after=" in plain.location
    assert verify_job.wait_until_idle(app, timeout=30)


def test_a_bogus_after_waits_for_nothing(admin):
    page = admin.get("/admin/audit?after=99999999").get_data(as_text=True)
    assert "Checking" not in page
    assert 'hx-trigger="every 2s"' not in page


def test_the_command_line_can_record_its_result_for_the_page(app, admin, runner):
    result = runner.invoke(args=["verify-log", "--record"])
    assert result.exit_code == 0, result.output
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Asked by</dt><dd>command line" in page
    before = entry_count(app)
    assert runner.invoke(args=["verify-log"]).exit_code == 0
    assert entry_count(app) == before  # without --record it writes nothing
