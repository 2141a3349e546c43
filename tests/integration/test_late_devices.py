"""Who may send late scans (a token the admin marked as a tablet), packs on the chain, and a late
boarding on the muster list (issue 13, item 5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from gangway.db.models import ApiToken, OfflinePack
from gangway.extensions import db
from tests.integration import test_offline_api as offline
from tests.integration.test_admin_users import chain_is_ok, events, kinds, user_id
from tests.integration.test_late_scan_claims import claim, fresh_pack, minutes_ago
from tests.integration.test_offline_api import late, records, scan, token_headers

headers = offline.headers  # the same fixture here


def test_a_late_boarding_older_than_a_departure_still_shows_on_the_muster_list(
    app, client, headers, make_badge, make_person, auth
):
    """Boarded, left, then a boarding made offline 2 minutes ago arrives: the last the ship
    heard of them is that they walked aboard, so the muster list names them, marked."""
    code = make_badge(make_person(family="LARSEN", given="Ole"))
    assert scan(client, headers, code, direction="board").status_code == 201
    assert scan(client, headers, code, direction="depart").status_code == 201
    sent_late = late(client, headers, code, minutes=2, direction="board")
    assert (sent_late.status_code, sent_late.json["verdict"]) == (201, "allowed")
    auth.login("sso")
    page = client.get("/sso/muster").get_data(as_text=True)
    assert "LARSEN, Ole" in page
    assert 'data-testid="muster-total">1<' in page
    assert 'data-testid="boarded-late"' in page
    pdf = client.get("/sso/muster.pdf")
    assert pdf.status_code == 200
    # A crossing settles it: scanned leaving now, they are off the list.
    assert scan(client, headers, code, direction="depart").status_code == 201
    assert "LARSEN, Ole" not in client.get("/sso/muster").get_data(as_text=True)


def test_a_late_departure_older_than_a_boarding_leaves_nobody_extra_on_the_list(
    app, client, headers, make_badge, make_person, auth
):
    code = make_badge(make_person(family="LARSEN", given="Ole"))
    assert scan(client, headers, code, direction="board").status_code == 201
    assert late(client, headers, code, minutes=2, direction="depart").status_code == 201
    auth.login("sso")
    page = client.get("/sso/muster").get_data(as_text=True)
    assert 'data-testid="muster-total">1<' in page
    assert 'data-testid="boarded-late"' not in page


def test_the_admin_marks_a_token_as_a_tablet_and_it_may_then_send_late_scans(
    app, client, auth, make_user, make_badge
):
    owner = make_user("watch", username="aft")
    script = token_headers(app, owner.id, device=False)
    pack = client.get("/api/v1/offline-pack", headers=script).json["pack_id"]
    body = {
        "code": make_badge(), "access_point": "MAIN-GW", "direction": "board",
        "client_key": str(uuid.uuid4()), "offline_verdict": "allowed", "pack_id": pack,
        "scanned_at": (datetime.now(UTC) - timedelta(seconds=20)).isoformat(),
    }  # fmt: skip
    refused = client.post("/api/v1/scans", json=body, headers=script)
    assert (refused.status_code, refused.json["error"]) == (403, "not_a_device")
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    admin = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(app, admin).login("admin")
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert "Mark as tablet" in listing
    marked = admin.post(f"/admin/tokens/{token_id}/device", data={"is_device": "1"})
    assert marked.status_code == 302
    assert 'data-testid="device"' in admin.get("/admin/tokens").get_data(as_text=True)
    assert "api_token.device_changed" in kinds(app)
    (event,) = events(app, "admin.token_device")
    assert (event["by"], event["user"], event["is_device"]) == ("admin", "aft", True)
    assert chain_is_ok(app)
    allowed = client.post("/api/v1/scans", json=body, headers=script)
    assert (allowed.status_code, allowed.json["verdict"]) == (201, "allowed")
    assert user_id(app, "aft") == owner.id


def test_each_pack_issued_is_on_the_chain_and_an_edited_issue_time_is_named(
    app, client, headers, runner
):
    from tests.integration.test_audit_log import problems, sql, verify

    pack_id = fresh_pack(client, headers)
    with app.app_context():
        pack = db.session.scalars(select(OfflinePack)).one()
        assert pack.pack_key == pack_id
        assert db.session.scalar(select(func.count()).select_from(OfflinePack)) == 1
    verify(runner, ok=True)
    sql(app, "UPDATE offline_pack SET issued_at = :t", t=minutes_ago(600))
    assert any("offline_pack" in message for _, message in problems(verify(runner)))
    backdated = claim(client, headers, "any", 300, pack_id)  # nor is it used to judge a scan
    assert (backdated.status_code, backdated.json["error"]) == (400, "pack_unknown")


def test_a_pack_slipped_in_beside_the_app_is_named_and_never_used(app, client, headers, runner):
    """An old pack made up to backdate a scan is no pack of the chain."""
    from tests.integration.test_audit_log import problems, sql, verify

    fresh_pack(client, headers)
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        user_id, token_id = token.user_id, token.id
    key = str(uuid.uuid4())
    sql(
        app,
        "INSERT INTO offline_pack (pack_key, issued_at, user_id, api_token_id) "
        "VALUES (:k, :t, :u, :a)",
        k=key, t=minutes_ago(600), u=user_id, a=token_id,
    )  # fmt: skip
    assert any("offline_pack" in message for _, message in problems(verify(runner)))
    response = claim(client, headers, "any", 300, key)
    assert (response.status_code, response.json["error"]) == (400, "pack_unknown")
    assert records(app) == (0, 0)
