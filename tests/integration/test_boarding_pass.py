"""Passengers board on their boarding pass, matched to this port call's manifest (B/9.11)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.extensions import db
from gangway.models import Movement, PortCall, Refusal

PASS = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"


@pytest.fixture
def passenger(app, make_person):
    with app.app_context():
        call_id = db.session.scalars(select(PortCall.id)).one()
    return make_person(
        kind="passenger",
        family="Desmarais",
        given="Luc",
        port_call_id=call_id,
        booking_reference="ABC123",
        ticket_number="0142345678901",
    )


def scan(client, code):
    return client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)


@pytest.mark.parametrize("code", [PASS, PASS.lower() + "\r\n", "abc123", "0142345678901"])
def test_passenger_on_the_manifest_boards_on_the_pass_or_its_booking(
    app, auth, client, passenger, code
):
    auth.login("watch")
    html = scan(client, code)
    assert 'data-verdict="allowed"' in html
    assert "DESMARAIS, Luc" in html
    with app.app_context():
        movement = db.session.scalars(select(Movement)).one()
        assert (movement.person_id, movement.credential, movement.badge_id) == (
            passenger,
            "boarding_pass",
            None,
        )


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (PASS.replace("DESMARAIS/LUC  ", "DUPONT/MARIE   "), "pass_name_mismatch"),
        (PASS.replace("ABC123", "XYZ999"), "not_on_manifest"),
        ("M2" + PASS[2:], "malformed_pass"),  # declares two legs, holds one
        ("QQQ777", "unknown_code"),
    ],
)
def test_pass_not_matching_the_manifest_is_refused_with_the_reason(
    app, auth, client, passenger, code, reason
):
    auth.login("watch")
    html = scan(client, code)
    assert f'data-code="{reason}"' in html
    with app.app_context():
        assert db.session.scalars(select(Refusal.reason_code)).one() == reason


def test_passenger_of_another_port_call_is_not_on_this_manifest(app, auth, client, make_person):
    make_person(kind="passenger", family="Desmarais", given="Luc", booking_reference="ABC123")
    auth.login("watch")
    assert 'data-code="not_on_manifest"' in scan(client, PASS)


def test_api_scan_of_a_boarding_pass_names_the_credential(app, auth, client, passenger):
    auth.login("watch")
    body = client.post(
        "/api/v1/scans", json={"code": PASS, "access_point": "MAIN-GW", "direction": "board"}
    )
    assert body.get_json()["credential"] == "boarding_pass"
    assert body.get_json()["verdict"] == "allowed"
