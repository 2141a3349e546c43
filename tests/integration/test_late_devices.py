"""Who may send late scans (a token the admin marked as a tablet), and a late boarding on the
muster list (issue 13, item 5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from gangway.extensions import db
from gangway.models import ApiToken
from tests.integration import test_offline_api as offline
from tests.integration.test_admin_users import chain_is_ok, events, kinds, user_id
from tests.integration.test_offline_api import late, scan, token_headers

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
