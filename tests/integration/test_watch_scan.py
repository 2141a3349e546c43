"""The watch's scan page: verdict fragments, records written, nothing written on bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, Person, Refusal, Ship
from gangway.extensions import db
from tests.conftest import NOW


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def only(app, model):
    with app.app_context():
        rows = list(db.session.scalars(select(model)))
        assert len(rows) == 1
        db.session.expunge_all()
        return rows[0]


def test_allowed_scan_returns_the_green_fragment_and_records_the_movement(
    app, auth, client, make_badge
):
    auth.login("watch")
    code = make_badge()
    response = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="watch-result"' in html
    assert 'data-verdict="allowed"' in html
    assert "ALLOWED" in html
    assert "HANSEN, Erik" in html
    assert response.headers["HX-Trigger"] == "movement-recorded"
    assert "HX-Request" in response.headers["Vary"]
    movement = only(app, Movement)
    assert (movement.direction, movement.method, movement.flags) == ("board", "scan", "")
    assert movement.occurred_at.tzinfo is not None
    assert movement.access_point_id
    assert movement.port_call_id
    assert movement.recorded_by_id
    assert count(app, Refusal) == 0


def test_person_is_counted_on_board_after_boarding_and_off_after_leaving(
    app, auth, client, hx, make_badge
):
    auth.login("watch")
    code = make_badge()
    client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    )
    counter = client.get("/watch/onboard-count", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert 'id="watch-onboard-count"' in counter
    assert 'data-testid="onboard-total">1<' in counter
    client.post(
        "/watch/scan", data={"code": code, "direction": "depart"}, headers={"HX-Request": "true"}
    )
    counter = client.get("/watch/onboard-count", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert 'data-testid="onboard-total">0<' in counter


def test_edited_code_is_refused_and_the_attempt_recorded_for_the_sso(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge()
    edited = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    html = client.post(
        "/watch/scan", data={"code": edited, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert "REFUSED" in html
    assert "signature is invalid" in html
    refusal = only(app, Refusal)
    assert (refusal.reason_code, refusal.scanned_text, refusal.direction) == (
        "forged",
        edited,
        "board",
    )
    assert refusal.access_point_id
    assert refusal.recorded_by_id
    assert refusal.method == "scan"
    assert count(app, Movement) == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("hello world", "unknown_code"),
        ("GW1:SHORT", "malformed_code"),
        ("GW7:" + "A" * 124, "malformed_code"),
    ],
)
def test_codes_that_are_not_our_badges_are_refused_with_their_reason(
    app, auth, client, code, reason
):
    auth.login("watch")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert f'data-code="{reason}"' in html
    assert only(app, Refusal).reason_code == reason


def test_expired_badge_is_refused_with_the_reason_in_words(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge(valid_from=NOW - timedelta(days=3), valid_until=NOW - timedelta(days=1))
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Badge has expired." in html
    assert only(app, Refusal).reason_code == "expired"


def test_revoked_badge_is_refused(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge(revoked=True)
    client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    )
    assert only(app, Refusal).reason_code == "revoked"


def test_visitor_needs_a_purpose_and_the_typed_one_is_recorded(app, auth, client, make_badge):
    auth.login("watch")
    code = make_badge(kind="visitor")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'data-verdict="purpose_needed"' in html
    client.post(
        "/watch/scan",
        data={
            "code": code,
            "direction": "board",
            "purpose": "Pilot",
            "purpose_other": "Engine spares survey",
        },
        headers={"HX-Request": "true"},
    )
    assert only(app, Movement).purpose == "Engine spares survey"


def test_boarding_twice_is_flagged_when_the_plan_flags_it(app, auth, client, make_badge):
    with app.app_context():
        db.session.scalars(select(Ship)).one().passback_refuse_board = ""
        db.session.commit()
    auth.login("watch")
    code = make_badge()
    client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    )
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert 'data-code="already_aboard"' in html
    with app.app_context():
        flags = list(db.session.scalars(select(Movement.flags).order_by(Movement.id)))
    assert flags == ["", "already_aboard"]


def test_leaving_without_a_boarding_record_is_flagged(app, auth, client, make_badge):
    auth.login("watch")
    client.post(
        "/watch/scan",
        data={"code": make_badge(), "direction": "depart"},
        headers={"HX-Request": "true"},
    )
    assert only(app, Movement).flags == "not_aboard"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"code": "", "direction": "board"}, "Nothing was scanned"),
        ({"code": "   ", "direction": "board"}, "Nothing was scanned"),
        ({"code": "X" * 5000, "direction": "board"}, "far too long"),
        ({"code": "GW1:ABC", "direction": "sideways"}, "Direction must be"),
        ({"code": "GW1:ABC", "direction": "board", "method": "telepathy"}, "Unknown scan method"),
        (
            {"code": "GW1:ABC", "direction": "board", "purpose_other": "p" * 201},
            "Purpose is too long",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(app, auth, client, form, message):
    auth.login("watch")
    response = client.post("/watch/scan", data=form, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-verdict="error"' in html
    assert message in html
    assert "HX-Trigger" not in response.headers
    assert count(app, Movement) == count(app, Refusal) == 0


def test_scan_without_js_redirects_and_shows_the_verdict_once(app, auth, client, make_badge):
    auth.login("watch")
    response = client.post("/watch/scan", data={"code": make_badge(), "direction": "board"})
    assert response.status_code == 302
    page = client.get("/watch/").get_data(as_text=True)
    assert "<html" in page
    assert 'data-verdict="allowed"' in page
    assert 'data-verdict="ready"' in client.get("/watch/").get_data(as_text=True)


def test_unknown_access_point_cannot_be_chosen(app, auth, client):
    auth.login("watch", point=None)
    response = client.post("/watch/access-point", data={"access_point": "NOPE"})
    assert response.status_code == 400
    assert "Unknown access point" in response.get_data(as_text=True)


def test_scan_page_first_asks_where_the_tablet_is(app, auth, client):
    auth.login("watch", point=None)
    assert "Where is this tablet?" in client.get("/watch/").get_data(as_text=True)
    client.post("/watch/access-point", data={"access_point": "AFT-LADDER"})
    assert "Aft ladder" in client.get("/watch/").get_data(as_text=True)


def test_signed_off_person_is_refused(app, auth, client, make_person, make_badge):
    auth.login("watch")
    person_id = make_person()
    code = make_badge(person_id)
    with app.app_context():
        db.session.get(Person, person_id).is_enabled = False
        db.session.commit()
    client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    )
    assert only(app, Refusal).reason_code == "signed_off"


def test_photo_from_the_tablet_is_decoded_and_recorded_as_photo(app, auth, client, make_badge):
    import io

    from tests.support.imaging import photographed_qr_jpeg

    auth.login("watch")
    image = photographed_qr_jpeg(make_badge(), seed=2)
    html = client.post(
        "/watch/scan",
        data={"code": "", "direction": "board", "image": (io.BytesIO(image), "p.jpg")},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert only(app, Movement).method == "photo"


def test_oversized_photo_on_the_tablet_says_so_in_the_verdict_box(app, auth, client):
    import io

    auth.login("watch")
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    response = client.post(
        "/watch/scan",
        data={"direction": "board", "image": (io.BytesIO(b"\0" * 200_000), "p.jpg")},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="watch-result"' in html
    assert "too large" in html
    assert count(app, Movement) == count(app, Refusal) == 0


def test_non_image_photo_on_the_tablet_is_refused_with_a_message(app, auth, client):
    import io

    auth.login("watch")
    html = client.post(
        "/watch/scan",
        data={"direction": "board", "image": (io.BytesIO(b"hello"), "p.jpg")},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert 'data-verdict="error"' in html
    assert "not an image" in html
    assert count(app, Movement) == count(app, Refusal) == 0
