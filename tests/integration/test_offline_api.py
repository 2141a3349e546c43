"""Scans sent late by an offline tablet: idempotency keys, device times, provisional verdicts."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from gangway.db.models import ApiToken, Movement, Person, Refusal, Ship, User, WatchListEntry
from gangway.domain.codes.badges import verify_badge
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token, hash_token
from gangway.services.offline.late_scans import caller_device, issue_pack
from gangway.services.ship.refusals import unacknowledged_count


@pytest.fixture
def headers(app, make_user):
    """A tablet's token: marked by the admin as a device, so it may send late scans."""
    user = make_user("watch", username="tablet")
    return token_headers(app, user.id, device=True)


def token_headers(app, user_id: int, *, device: bool) -> dict:
    with app.app_context():
        value = create_token(db.session, db.session.get(User, user_id), "test")
        db.session.flush()
        token = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(value)))
        token.one().is_device = device
        db.session.commit()
    return {"Authorization": f"Bearer {value}"}


def pack_issued(client, headers, at: datetime) -> str:
    """Return the id of a pack issued to this token's device at `at` (as if fetched then)."""
    bearer = headers["Authorization"].removeprefix("Bearer ")
    with client.application.app_context():
        device = caller_device(db.session, token_owner(bearer), bearer)
        key = issue_pack(db.session, device, at).pack_key
        db.session.commit()
    return key


def token_owner(bearer: str) -> int:
    stmt = select(ApiToken.user_id).where(ApiToken.token_hash == hash_token(bearer))
    return db.session.scalars(stmt).one()


@pytest.fixture
def alerts(monkeypatch):
    """Refusal ids the SSO was alerted about (the mail hook, recorded instead of sent)."""
    sent = []
    monkeypatch.setattr("gangway.services.scan.after_scan.alert_sso", sent.append)
    return sent


def records(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Movement)),
            db.session.scalar(select(func.count()).select_from(Refusal)),
        )


def ago(**delta) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def scan(client, headers, code, **extra):
    body = {"code": code, "access_point": "MAIN-GW", "direction": "board", **extra}
    return client.post("/api/v1/scans", json=body, headers=headers)


def late(client, headers, code, verdict="allowed", minutes=5, **extra):
    """Send a scan the way the tablet's queue does: key, device time, provisional verdict, and
    the pack it was checked with (issued a minute before the scan unless one is given)."""
    key = extra.pop("client_key", str(uuid.uuid4()))
    fields = {"scanned_at": ago(minutes=minutes), "offline_verdict": verdict, **extra}
    if "pack_id" not in fields:
        scanned_at = datetime.fromisoformat(fields["scanned_at"])
        fields["pack_id"] = pack_issued(client, headers, scanned_at - timedelta(minutes=1))
    return scan(client, headers, code, client_key=key, **fields)


def test_the_same_key_twice_records_one_movement_and_answers_the_stored_outcome(
    app, client, headers, make_badge
):
    code, key = make_badge(), str(uuid.uuid4())
    first = scan(client, headers, code, client_key=key)
    again = scan(client, headers, code, client_key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert first.get_json()["verdict"] == "allowed"
    assert records(app) == (1, 0)


def test_a_resent_refusal_is_stored_and_reported_once(app, client, headers, make_badge, alerts):
    code, key = make_badge(revoked=True), str(uuid.uuid4())
    first = late(client, headers, code, "refused", offline_reason="revoked", client_key=key)
    again = late(client, headers, code, "refused", offline_reason="revoked", client_key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["record_id"] == first.get_json()["record_id"]
    assert again.get_json()["reasons"][0]["code"] == "revoked"
    assert records(app) == (0, 1)
    assert len(alerts) == 1


@pytest.fixture
def second_lookup_misses(monkeypatch):
    """Make the second request's idempotency lookup miss, as when two requests race."""
    from gangway.services.scan import scanning

    real, calls = scanning.find_record, []

    def blind_once(session, key):
        calls.append(key)
        return None if len(calls) == 2 else real(session, key)

    monkeypatch.setattr(scanning, "find_record", blind_once)


def test_two_requests_racing_with_one_key_still_write_one_row(
    app, client, headers, make_badge, second_lookup_misses
):
    """The second request misses the first one's row, then hits the unique key at commit."""
    code, key = make_badge(), str(uuid.uuid4())
    assert scan(client, headers, code, client_key=key).status_code == 201
    again = scan(client, headers, code, client_key=key)
    assert again.status_code == 200
    assert again.get_json()["verdict"] == "allowed"
    assert records(app) == (1, 0)


def test_a_racing_resend_decided_the_other_way_is_not_stored_as_a_second_record(
    app, client, headers, make_badge, second_lookup_misses
):
    """A live scan's answer was lost and the queue resent it as refused offline: the first one
    is stored as a movement; the resend, missing it, must not add a refusal with the same key."""
    code, key = make_badge(), str(uuid.uuid4())
    assert scan(client, headers, code, client_key=key).status_code == 201
    again = late(client, headers, code, verdict="refused", client_key=key, offline_reason="revoked")
    assert (again.status_code, again.get_json()["verdict"]) == (200, "allowed")
    assert records(app) == (1, 0)


def test_a_late_scan_is_recorded_at_the_device_time_with_the_receive_time_kept(
    app, client, headers, make_badge
):
    key = str(uuid.uuid4())
    scanned_at = datetime.now(UTC).replace(microsecond=123000) - timedelta(hours=3)
    response = scan(
        client,
        headers,
        make_badge(),
        client_key=key,
        scanned_at=scanned_at.isoformat().replace("+00:00", "Z"),
        offline_verdict="allowed",
        pack_id=pack_issued(client, headers, scanned_at - timedelta(minutes=30)),
    )
    assert response.status_code == 201
    with app.app_context():
        movement = db.session.scalars(select(Movement)).one()
        assert movement.occurred_at == scanned_at
        assert movement.received_at - scanned_at > timedelta(hours=2, minutes=59)
        assert (movement.client_key, movement.offline_verdict) == (key, "allowed")
        assert movement.person.aboard_movement_id == movement.id


# Times are made when the test runs (a long suite would age a time made at collection).
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (lambda: {"scanned_at": ago(minutes=-10)}, "scanned_at", "in the future"),
        (lambda: {"scanned_at": ago(hours=73)}, "scanned_at", "more than 72 hours old"),
        (lambda: {"scanned_at": "2026-11-22T16:00:00"}, "scanned_at", "time zone"),
        (lambda: {"scanned_at": "yesterday"}, "scanned_at", "ISO 8601"),
        (lambda: {"scanned_at": 1700000000}, "scanned_at", "must be a string"),
        (lambda: {"client_key": "not-a-uuid"}, "client_key", "UUID"),
        (lambda: {"client_key": None, "scanned_at": ago(minutes=1)}, "client_key", "client_key"),
        (lambda: {"client_key": None, "offline_verdict": "allowed"}, "scanned_at", "time of"),
        (lambda: {"offline_verdict": "maybe"}, "offline_verdict", "'allowed' or 'refused'"),
        (lambda: {"offline_reason": "<script>"}, "offline_reason", "reason code"),
    ],
    ids=[
        "future",
        "too-old",
        "naive",
        "not-iso",
        "number",
        "bad-key",
        "late-without-key",
        "verdict-without-time",
        "bad-verdict",
        "bad-reason",
    ],
)
def test_bad_offline_fields_are_refused_clearly_and_nothing_is_written(
    app, client, headers, make_badge, fields, field, words
):
    body = {"client_key": str(uuid.uuid4()), **fields()}
    response = scan(client, headers, make_badge(), **{k: v for k, v in body.items() if v})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["field"] == field
    assert words in answer["message"]
    assert records(app) == (0, 0)


def test_a_scan_the_tablet_allowed_but_the_records_refuse_is_an_offline_refusal_for_the_sso(
    app, client, headers, make_badge, alerts, auth
):
    """Revoked after the tablet's last list: it let the person board, the ship's records say no."""
    response = late(client, headers, make_badge(revoked=True), "allowed", minutes=1)
    assert response.status_code == 201
    body = response.get_json()
    assert body["verdict"] == "refused"
    assert body["reasons"][0]["code"] == "revoked"
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert refusal.offline_verdict == "allowed"
        assert refusal.reason_message.startswith("OFFLINE: the tablet let this person cross.")
        assert unacknowledged_count(db.session) == 1
    assert alerts == [refusal.id]
    auth.login("sso")
    alert = client.get("/sso/refusals/alerts", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "OFFLINE: the tablet let this person cross" in alert


def test_the_tablets_refusal_stands_even_when_the_records_would_allow(
    app, client, headers, make_badge
):
    """The person was turned away at the gangway: that is what is recorded."""
    response = late(client, headers, make_badge(), "refused", offline_reason="unknown_badge")
    body = response.get_json()
    assert (response.status_code, body["verdict"]) == (201, "refused")
    assert body["reasons"][0]["code"] == "offline_refused"
    assert "unknown_badge" in body["reasons"][0]["message"]
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert refusal.offline_verdict == "refused"
        assert refusal.person.aboard_movement_id is None


def test_escort_needed_offline_becomes_a_refusal_nobody_waits_for(
    app, client, headers, make_badge, make_person
):
    with app.app_context():
        db.session.scalars(select(Ship)).one().security_level = 2
        db.session.commit()
    code = make_badge(make_person(kind="visitor", family="GAST", given="Anna"))
    response = late(client, headers, code, "allowed", purpose="Agent")
    body = response.get_json()
    assert (response.status_code, body["verdict"]) == (201, "refused")
    assert body["reasons"][0]["code"] == "escort_needed"
    assert records(app) == (0, 1)


def test_a_late_departure_older_than_the_last_boarding_leaves_the_person_aboard(
    app, client, headers, make_badge
):
    code = make_badge()
    assert scan(client, headers, code).get_json()["verdict"] == "allowed"  # boarded just now
    response = late(client, headers, code, "allowed", minutes=30, direction="depart")
    assert response.status_code == 201
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        assert person.aboard_movement.direction == "board"
    assert records(app) == (2, 0)


def test_the_page_scan_form_is_idempotent_too(app, client, auth, make_badge):
    auth.login("watch")
    form = {"code": make_badge(), "direction": "board", "client_key": str(uuid.uuid4())}
    client.post("/watch/scan", data=form)
    client.post("/watch/scan", data=form)
    assert records(app) == (1, 0)


def test_offline_pack_lets_the_tablet_verify_badges_and_name_their_holders(
    app, client, headers, make_badge, make_person
):
    good = make_badge(make_person(family="HANSEN", given="Erik", rank="Bosun"))
    revoked = make_badge(make_person(family="OLSEN", given="Ola"), revoked=True)
    with app.app_context():
        db.session.add(WatchListEntry(family_name="OLSEN", given_names="Ola", reason="theft"))
        db.session.commit()
    response = client.get("/api/v1/offline-pack", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    pack = response.get_json()
    raw = base64.urlsafe_b64decode(pack["keys"][0]["public_key"] + "=")
    keys = {pack["keys"][0]["key_id"]: Ed25519PublicKey.from_public_bytes(raw)}
    roster = {b["badge_id"]: b for b in pack["badges"]}
    erik = roster[verify_badge(good, keys).badge_id]["person"]
    assert (erik["name"], erik["kind"], erik["rank"], erik["watch_listed"]) == (
        "HANSEN, Erik",
        "crew",
        "Bosun",
        None,
    )
    ola_badge = verify_badge(revoked, keys).badge_id
    assert pack["revoked"] == [ola_badge]
    assert roster[ola_badge]["person"]["watch_listed"] == "theft"
    assert pack["policy"]["level"] == 1
    assert {p["code"] for p in pack["policy"]["access_points"]} == {"MAIN-GW", "AFT-LADDER"}
    assert pack["csrf_token"] is None  # a token caller needs none, and gets no cookie
    assert "Set-Cookie" not in response.headers
    assert "photo" not in str(pack)
    assert "document" not in str(pack)


def test_offline_pack_says_who_is_aboard_their_purpose_and_who_is_signed_off(
    app, client, headers, make_badge, make_person
):
    """Offline, a scan moves a person across too, a registered purpose stands, and a signed-off
    crew member may still walk off (a removed visitor is not listed at all)."""
    aboard = make_person(family="HANSEN", given="Erik")
    visitor = make_person(kind="visitor", family="LARSEN", given="Ole", purpose="Surveyor")
    signed_off = make_person(family="PETROV", given="Oleg")
    removed = make_person(kind="visitor", family="GONE", given="Ann")
    for person in (aboard, visitor, signed_off, removed):
        make_badge(person)
    with app.app_context():
        for gone in (signed_off, removed):
            db.session.get(Person, gone).is_enabled = False
        db.session.commit()
    client.post(
        "/api/v1/scans",
        json={"code": make_badge(aboard), "access_point": "MAIN-GW"},
        headers=headers,
    )
    pack = client.get("/api/v1/offline-pack", headers=headers).get_json()
    people = {b["person"]["name"]: b["person"] for b in pack["badges"]}
    assert people["HANSEN, Erik"]["aboard"] is True
    assert people["LARSEN, Ole"]["purpose"] == "Surveyor"
    assert people["PETROV, Oleg"]["signed_off"] is True
    assert "GONE, Ann" not in people
    assert pack["policy"]["crew_board_at_level_3"] is True


def test_offline_pack_is_for_the_watch_only(client, make_user, app):
    user = make_user("pfso", username="shore")
    with app.app_context():
        value = create_token(db.session, db.session.get(User, user.id), "t")
        db.session.commit()
    response = client.get("/api/v1/offline-pack", headers={"Authorization": f"Bearer {value}"})
    assert response.status_code == 403


def test_the_service_worker_is_served_for_the_watch_scope_with_its_assets(client):
    response = client.get("/watch/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    text = response.get_data(as_text=True)
    assert text.startswith("const GANGWAY_SW = ")
    assert '"/static/js/offline.js"' in text
    assert '"page": "/watch/"' in text
    with client.get("/static/manifest.webmanifest") as manifest:  # closes the static file
        assert manifest.mimetype == "application/manifest+json"
        assert "manifest-src 'self'" in manifest.headers["Content-Security-Policy"]
        assert manifest.get_json()["start_url"] == "../watch/"
    for size in (192, 512):
        with client.get(f"/static/icons/icon-{size}.png") as icon:
            assert icon.data.startswith(b"\x89PNG")


def test_a_device_time_of_now_does_not_skip_the_random_search(app, client, headers, make_badge):
    ship_searches_everyone(app)
    live = scan(
        client,
        headers,
        make_badge(kind="visitor"),
        client_key=str(uuid.uuid4()),
        scanned_at=ago(),
        purpose="Pilot",
        pack_id=pack_issued(client, headers, datetime.now(UTC) - timedelta(minutes=1)),
    )
    assert (live.json["search_required"], live.json["record_id"]) == (True, None)
    sent_late = scan(
        client,
        headers,
        make_badge(kind="visitor"),
        client_key=str(uuid.uuid4()),
        scanned_at=ago(minutes=5),
        purpose="Pilot",
        pack_id=pack_issued(client, headers, datetime.now(UTC) - timedelta(minutes=6)),
    )
    assert (sent_late.status_code, sent_late.json["search_required"]) == (201, False)


def ship_searches_everyone(app):
    with app.app_context():
        db.session.scalars(select(Ship)).one().search_percent_1 = 100
        db.session.commit()
