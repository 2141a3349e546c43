"""Passengers board on their boarding pass, matched to this port call's manifest (B/9.11), and
dated within the call on a route calling here (B/9.14.1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from gangway.db.models import Movement, PortCall, Refusal
from gangway.extensions import db
from gangway.services.ship.refusals import unacknowledged_count
from tests.conftest import NOW

TODAY = NOW.date()


def boarding_pass(day: date | None = TODAY, route: str = "RTMHUL") -> str:
    """Return Luc Desmarais's pass (booking ABC123) for this day (None: blank) and route."""
    julian = f"{day:%j}" if day else "   "
    return f"M1DESMARAIS/LUC       EABC123 {route}AC 0834 {julian}J001A0025 100"


PASS = boarding_pass()  # today, Rotterdam (NLRTM) to Hull


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


@pytest.fixture
def alerts(monkeypatch):
    """Refusal ids the SSO was alerted about (the mail hook, recorded instead of sent)."""
    sent = []
    monkeypatch.setattr("gangway.services.scan.after_scan.alert_sso", sent.append)
    return sent


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


def test_a_pass_for_another_day_is_refused_recorded_and_reported_and_todays_boards(
    app, auth, client, passenger, alerts
):
    auth.login("watch")
    last_week = TODAY - timedelta(days=7)
    html = scan(client, boarding_pass(last_week))
    assert 'data-verdict="refused"' in html
    assert 'data-code="pass_wrong_date"' in html
    assert f"{last_week:%Y-%m-%d}" in html  # the watch reads which day the pass is for
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert (refusal.reason_code, refusal.person_id) == ("pass_wrong_date", passenger)
        assert unacknowledged_count(db.session) == 1  # on the SSO's board
    assert alerts == [refusal.id]
    assert 'data-verdict="allowed"' in scan(client, PASS)
    with app.app_context():
        assert db.session.scalars(select(Movement.person_id)).all() == [passenger]


def test_api_refuses_passes_for_another_day_route_or_without_a_date_and_alerts_the_sso(
    app, auth, client, passenger, alerts
):
    auth.login("watch")
    refused = {
        "pass_wrong_date": boarding_pass(TODAY + timedelta(days=3)),
        "pass_wrong_route": boarding_pass(route="YULFRA"),
        "pass_no_date": boarding_pass(None),
    }
    for code, text in refused.items():
        response = client.post(
            "/api/v1/scans", json={"code": text, "access_point": "MAIN-GW", "direction": "board"}
        )
        body = response.get_json()
        assert (response.status_code, body["verdict"]) == (201, "refused")
        assert body["reasons"][0]["code"] == code
    with app.app_context():
        recorded = db.session.scalars(select(Refusal).order_by(Refusal.id)).all()
        assert [r.reason_code for r in recorded] == list(refused)
        assert {r.person_id for r in recorded} == {passenger}
    assert alerts == [r.id for r in recorded]


def test_a_passenger_leaving_on_a_pass_for_another_day_is_let_off_with_a_warning(
    app, auth, client, passenger
):
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, PASS)
    html = client.post(
        "/watch/scan",
        data={"code": boarding_pass(TODAY - timedelta(days=7)), "direction": "depart"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    with app.app_context():
        flags = db.session.scalars(select(Movement.flags).order_by(Movement.id)).all()
    assert flags == ["", "pass_wrong_date"]


def test_the_margin_and_the_route_check_are_the_ships_settings_in_the_ports_calendar(
    app, auth, client, passenger
):
    kiritimati = ZoneInfo("Pacific/Kiritimati")  # UTC+14: its today is often UTC's tomorrow
    local_today = datetime.now(kiritimati).date()
    app.config.update(BOARDING_PASS_DATE_MARGIN_DAYS=0, BOARDING_PASS_CHECK_ROUTE=False)
    with app.app_context():
        call = db.session.scalars(select(PortCall)).one()
        call.timezone, call.arrived_at = "Pacific/Kiritimati", datetime.now(UTC)
        db.session.commit()
    auth.login("watch")
    tomorrow = boarding_pass(local_today + timedelta(days=1))
    assert 'data-code="pass_wrong_date"' in scan(client, tomorrow)  # no margin
    assert 'data-verdict="allowed"' in scan(client, boarding_pass(local_today, route="YULFRA"))


@pytest.mark.parametrize("margin", ["two", -1, 1.5, True])
def test_a_pass_date_margin_that_is_no_whole_number_of_days_refuses_to_start(tmp_path, margin):
    from tests.conftest import build_app

    with pytest.raises(RuntimeError, match="BOARDING_PASS_DATE_MARGIN_DAYS must be a whole"):
        build_app(tmp_path, BOARDING_PASS_DATE_MARGIN_DAYS=margin)
