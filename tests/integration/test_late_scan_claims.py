"""A scan claiming a past time is judged with the offline pack the tablet held (issue 13, item 5).

Each test is a way a watch's token or session talked around the rules before packs were on
record: a past `scanned_at` admitted an expired badge, a revoked one, a visitor at level 3.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import Badge, Movement, Refusal, User
from gangway.extensions import db
from gangway.services.people.people import revoke_badge
from gangway.services.ship.refusals import unacknowledged_count
from gangway.services.ship.security_level import set_level
from tests.integration import test_offline_api as offline
from tests.integration.test_offline_api import ago, pack_issued, records, scan, token_headers

headers, alerts = offline.headers, offline.alerts  # the same fixtures here


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def fresh_pack(client, headers) -> str:
    """Fetch the pack the way a tablet does, now: return its id."""
    response = client.get("/api/v1/offline-pack", headers=headers)
    assert response.status_code == 200
    return response.json["pack_id"]


def claim(client, headers, code, minutes: float, pack_id, **extra):
    """Send a scan as an offline tablet's queue would: key, past time, verdict, pack id."""
    fields = {"client_key": str(uuid.uuid4()), "offline_verdict": "allowed", **extra}
    return scan(client, headers, code, scanned_at=ago(minutes=minutes), pack_id=pack_id, **fields)


def revoke(app, code: str, *, at: datetime, sso_id: int) -> None:
    with app.app_context():
        badge = db.session.scalars(select(Badge).where(Badge.code == code)).one()
        revoke_badge(db.session, badge, "lost", user=db.session.get(User, sso_id), now=at)
        db.session.commit()


def raise_level(app, level: int, *, at: datetime, sso_id: int) -> None:
    with app.app_context():
        set_level(
            db.session, level=level, reason="Port state order", ordered_by="port_state",
            notified_at=at, complied_at=None, user=db.session.get(User, sso_id), now=at,
        )  # fmt: skip


def expired_badge(app, make_badge, make_user):
    return make_badge(valid_until=minutes_ago(10)), {}


def revoked_badge(app, make_badge, make_user):
    code = make_badge()
    revoke(app, code, at=minutes_ago(0.5), sso_id=make_user("sso").id)
    return code, {}


def visitor_at_level_3(app, make_badge, make_user):
    raise_level(app, 3, at=minutes_ago(0.5), sso_id=make_user("sso").id)
    return make_badge(kind="visitor"), {"purpose": "Ship's agent"}


@pytest.mark.parametrize(
    "setup",
    [expired_badge, revoked_badge, visitor_at_level_3],
    ids=["expired", "revoked", "level-3"],
)
def test_a_past_time_before_the_pack_the_tablet_fetched_is_refused_and_nothing_written(
    app, client, headers, make_badge, make_user, setup
):
    code, extra = setup(app, make_badge, make_user)
    response = claim(client, headers, code, 30, fresh_pack(client, headers), **extra)
    assert response.status_code == 400
    assert (response.json["error"], response.json["field"]) == ("scan_before_pack", "scanned_at")
    assert "before the offline pack" in response.json["message"]
    assert records(app) == (0, 0)


@pytest.mark.parametrize(
    ("setup", "refusal"),
    [(expired_badge, "expired"), (revoked_badge, "revoked"), (visitor_at_level_3, None)],
    ids=["expired", "revoked", "level-3"],
)
def test_a_past_time_within_the_clock_skew_of_a_fresh_pack_is_judged_as_the_pack_knew(
    app, client, headers, make_badge, make_user, alerts, setup, refusal
):
    """5 minutes before the change, on a pack fetched after it: the tablet knew of it."""
    code, extra = setup(app, make_badge, make_user)
    response = claim(client, headers, code, 5, fresh_pack(client, headers), **extra)
    assert (response.status_code, response.json["verdict"]) == (201, "refused")
    codes = [r["code"] for r in response.json["reasons"]]
    assert refusal in codes if refusal else codes
    assert records(app) == (0, 1)
    assert len(alerts) == 1


def test_a_revocation_before_the_pack_refuses_a_scan_claimed_within_the_clock_skew(
    app, client, headers, make_badge, make_user, alerts
):
    """The tablet clock may be 5 minutes behind: the rules are still those the pack knew."""
    code = make_badge()
    revoke(app, code, at=minutes_ago(12), sso_id=make_user("sso").id)
    pack = pack_issued(client, headers, minutes_ago(10))
    response = claim(client, headers, code, 13, pack)
    assert (response.status_code, response.json["verdict"]) == (201, "refused")
    assert response.json["reasons"][0]["code"] == "revoked"
    assert records(app) == (0, 1)
    assert len(alerts) == 1


def test_a_late_scan_a_live_check_would_refuse_now_is_recorded_and_raised_to_the_sso(
    app, client, headers, make_badge, make_user, alerts, auth
):
    """Revoked after the pack the tablet held and after the scan: the person did cross."""
    code = make_badge()
    pack = pack_issued(client, headers, minutes_ago(40))
    revoke(app, code, at=minutes_ago(10), sso_id=make_user("sso").id)
    response = claim(client, headers, code, 30, pack)
    assert (response.status_code, response.json["verdict"]) == (201, "allowed")
    assert "late_scan_differs" in [r["code"] for r in response.json["reasons"]]
    with app.app_context():
        movement = db.session.scalars(select(Movement)).one()
        alert = db.session.scalars(select(Refusal)).one()
        assert movement.person.aboard_movement_id == movement.id  # recorded as it happened
        assert "late_scan_differs" in movement.flags
        assert (alert.reason_code, alert.person_id) == ("late_scan_differs", movement.person_id)
        assert alert.reason_codes == "late_scan_differs,revoked"
        assert "a check now refuses: Badge has been revoked." in alert.reason_message
        assert unacknowledged_count(db.session) == 1
    assert alerts == [alert.id]
    auth.login("sso")
    board = client.get("/sso/refusals/").get_data(as_text=True)
    assert "Crossed offline; a check now refuses" in board


def test_a_late_scan_resent_after_its_alert_is_answered_from_the_record(
    app, client, headers, make_badge, make_user, alerts
):
    code = make_badge()
    pack = pack_issued(client, headers, minutes_ago(40))
    revoke(app, code, at=minutes_ago(10), sso_id=make_user("sso").id)
    key = str(uuid.uuid4())
    first = claim(client, headers, code, 30, pack, client_key=key)
    again = claim(client, headers, code, 30, pack, client_key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert records(app) == (1, 1)
    assert len(alerts) == 1


def test_a_late_scan_a_live_check_still_allows_raises_nothing(
    app, client, headers, make_badge, alerts
):
    pack = pack_issued(client, headers, minutes_ago(40))
    response = claim(client, headers, make_badge(), 30, pack)
    assert (response.status_code, response.json["verdict"]) == (201, "allowed")
    assert records(app) == (1, 0)
    assert alerts == []


@pytest.mark.parametrize(
    ("pack", "code", "field"),
    [
        (lambda c, h, o: None, "pack_missing", "pack_id"),
        (lambda c, h, o: str(uuid.uuid4()), "pack_unknown", "pack_id"),
        (lambda c, h, o: "x" * 5000, "pack_unknown", "pack_id"),
        (lambda c, h, o: pack_issued(c, o, minutes_ago(10)), "pack_other_device", "pack_id"),
    ],
    ids=["missing", "unknown", "huge", "another-device"],
)
def test_a_late_scan_without_a_pack_of_this_device_is_refused_with_its_code(
    app, client, headers, make_badge, make_user, pack, code, field
):
    other = token_headers(app, make_user("watch", username="tablet2").id, device=True)
    response = claim(client, headers, make_badge(), 5, pack(client, headers, other))
    assert response.status_code == 400
    assert (response.json["error"], response.json["field"]) == (code, field)
    assert records(app) == (0, 0)


def test_a_time_in_the_future_is_refused_with_its_code(app, client, headers, make_badge):
    response = claim(client, headers, make_badge(), -10, fresh_pack(client, headers))
    assert (response.status_code, response.json["error"]) == (400, "scanned_at_future")
    assert records(app) == (0, 0)


def test_a_script_token_cannot_claim_a_past_time(app, client, make_badge, make_user):
    script = token_headers(app, make_user("watch", username="script").id, device=False)
    pack = fresh_pack(client, script)  # it may read the pack, not send scans made offline
    response = claim(client, script, make_badge(), 0.5, pack)
    assert response.status_code == 403
    assert (response.json["error"], response.json["field"]) == ("not_a_device", "scanned_at")
    assert "mark this API token as a device" in response.json["message"]
    assert records(app) == (0, 0)
    live = scan(client, script, make_badge())  # a live scan is still fine
    assert (live.status_code, live.json["verdict"]) == (201, "allowed")


def test_an_offline_verdict_with_a_time_of_now_does_not_skip_the_drawn_search(
    app, client, headers, make_badge
):
    offline.ship_searches_everyone(app)
    pack = pack_issued(client, headers, minutes_ago(2))
    response = claim(client, headers, make_badge(kind="visitor"), 0, pack, purpose="Pilot")
    assert (response.json["search_required"], response.json["record_id"]) == (True, None)
    assert records(app) == (0, 0)


def test_a_tablet_session_fetches_a_pack_and_sends_its_late_scans_with_it(
    app, client, auth, make_badge
):
    auth.login("watch")
    pack = client.get("/api/v1/offline-pack").json
    assert pack["pack_id"]
    assert pack["issued_at"]
    body = {
        "code": make_badge(), "access_point": "MAIN-GW", "direction": "board",
        "client_key": str(uuid.uuid4()), "scanned_at": datetime.now(UTC).isoformat(),
        "offline_verdict": "allowed", "pack_id": pack["pack_id"],
    }  # fmt: skip
    response = client.post("/api/v1/scans", json=body, headers={"X-CSRFToken": pack["csrf_token"]})
    assert (response.status_code, response.json["verdict"]) == (201, "allowed")
