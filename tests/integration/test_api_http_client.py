"""Drive the API the way an integration does: a real HTTP server, `requests`, a bearer token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from gangway.db.models import Person
from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.services.accounts.accounts import create_token, create_user
from gangway.services.people.badges import issue_badge
from tests.conftest import FAST_HASH, NOW, PASSWORD, build_app
from tests.support.live_server import serving


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The app as it runs for real (CSRF on), served; a token made as the admin would, a badge."""
    app = build_app(tmp_path_factory.mktemp("http"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = create_user(db.session, "sso", "sso", PASSWORD, hash_method=FAST_HASH)
        db.session.flush()
        token = create_token(db.session, user, "integration")
        person = Person(kind="crew", family_name="HANSEN", given_names="Erik")
        db.session.add(person)
        db.session.flush()
        badge = issue_badge(
            db.session,
            person,
            valid_from=NOW - timedelta(days=1),
            valid_until=NOW + timedelta(days=30),
            private_key=signing_key(),
            key_id=KEY_ID,
            now=NOW,
        )
        code = badge.code
        db.session.commit()
    with serving(app) as server, requests.Session() as http:
        base = f"{server.url}/api/v1"
        http.headers["Authorization"] = f"Bearer {token}"
        yield base, http, code  # serving() disposes of the app


def test_an_integration_lists_access_points_and_posts_a_scan_with_its_token(api):
    base, http, code = api
    listed = http.get(f"{base}/access-points", timeout=10)
    assert listed.status_code == 200
    assert listed.headers["Content-Type"] == "application/json"
    open_now = [p["code"] for p in listed.json()["access_points"] if p["open_now"]]
    assert "MAIN-GW" in open_now

    scan = {"code": code, "access_point": open_now[0], "direction": "board"}
    answer = http.post(f"{base}/scans", json=scan, timeout=10)
    assert answer.status_code == 201
    assert answer.json()["verdict"] == "allowed"
    assert answer.json()["person"]["name"].startswith("HANSEN")
    assert "Set-Cookie" not in answer.headers  # a token client gets no session


def test_times_with_z_and_with_an_offset_are_taken_and_answered_in_rfc3339(api):
    base, http, _ = api
    change = {
        "level": 2,
        "reason": "Port state order",
        "ordered_by": "port_state",
        "notified_at": "2026-11-22T16:00:00Z",
        "complied_at": "2026-11-22T18:30:00+02:00",  # 16:30 UTC
    }
    assert http.put(f"{base}/security-level", json=change, timeout=10).status_code == 200
    state = http.get(f"{base}/security-level", timeout=10).json()
    notified = datetime.fromisoformat(state["notified_at"])
    complied = datetime.fromisoformat(state["complied_at"])
    assert notified == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert complied == datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    assert notified.utcoffset() is not None  # answered with its zone

    since = {"since": "2026-11-22T18:00:00+02:00"}  # requests encodes the + for the query
    assert http.get(f"{base}/refusals", params=since, timeout=10).status_code == 200


def test_the_error_bodies_say_what_went_wrong(api):
    base, http, _ = api
    anonymous = requests.post(f"{base}/scans", json={"access_point": "MAIN-GW"}, timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="gangway"'
    assert anonymous.json()["error"] == "unauthorized"

    late = {"level": 1, "reason": "x", "ordered_by": "own", "notified_at": "yesterday"}
    bad = http.put(f"{base}/security-level", json=late, timeout=10)
    assert bad.status_code == 400
    assert (bad.json()["error"], bad.json()["field"]) == ("bad_input", "notified_at")

    missing = http.put(f"{base}/access-points/NO-SUCH", json={"name": "x"}, timeout=10)
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"

    photo = {"image": ("scan.jpg", b"not a photo", "image/jpeg")}
    unreadable = http.post(
        f"{base}/scans/image", files=photo, data={"access_point": "MAIN-GW"}, timeout=10
    )
    assert unreadable.status_code == 422
    assert unreadable.json()["field"] == "image"
    for answer in (anonymous, bad, missing, unreadable):
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.json()["message"]
