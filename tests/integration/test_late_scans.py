"""Scans sent late by an offline tablet are filed and judged as of the time they were made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import AccessPoint, Movement, PortCall, Refusal, User
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.port_calls import close_port_call, open_port_call
from gangway.services.ship.retention import archive_port_call, purge_port_call
from gangway.services.ship.security_level import set_level
from tests.conftest import NOW
from tests.integration import test_offline_api as offline
from tests.integration.port_call_builders import DAYS, add_old_calls, add_refusal
from tests.integration.test_boarding_pass import boarding_pass
from tests.integration.test_offline_api import late, scan

headers, alerts = offline.headers, offline.alerts  # the same fixtures here


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def next_port(app, sso_id: int) -> tuple[int, int]:
    """Close the first call 20 minutes ago (Rotterdam), open Antwerp 10 minutes ago; return both."""
    with app.app_context():
        first = db.session.scalars(select(PortCall)).one().id
        close_port_call(db.session, first, departed_at=minutes_ago(20), now=minutes_ago(20))
        fields = dict.fromkeys(
            ("unlocode", "facility_name", "pfso_name", "pfso_contact", "berth", "departs_at")
        )
        second = open_port_call(
            db.session,
            port_name="Antwerp",
            arrived_at=minutes_ago(10),
            port_security_level=None,
            timezone=None,
            user=db.session.get(User, sso_id),
            now=minutes_ago(10),
            **fields,
        ).id
    return first, second


def test_a_scan_made_before_the_call_closed_and_sent_after_is_filed_under_that_call(
    app, client, headers, make_badge, make_user
):
    first, second = next_port(app, make_user("sso").id)
    code = make_badge()
    assert late(client, headers, code, minutes=30).status_code == 201  # alongside in Rotterdam
    assert late(client, headers, code, minutes=15, direction="depart").status_code == 201  # at sea
    assert scan(client, headers, code).status_code == 201  # live, in Antwerp
    with app.app_context():
        filed = db.session.scalars(select(Movement.port_call_id).order_by(Movement.id)).all()
    assert filed == [first, None, second]


def test_a_boarding_pass_sent_late_is_matched_against_the_passenger_list_of_its_call(
    app, client, headers, make_person, make_user
):
    with app.app_context():
        rotterdam = db.session.scalars(select(PortCall.id)).one()
    make_person(kind="passenger", family="Desmarais", given="Luc", port_call_id=rotterdam,
                booking_reference="ABC123")  # fmt: skip
    first, second = next_port(app, make_user("sso").id)
    pass_text = boarding_pass()
    made_alongside = late(client, headers, pass_text, minutes=30)
    assert (made_alongside.status_code, made_alongside.json["verdict"]) == (201, "allowed")
    # The same rule as live: a pass for another day, let through offline, is refused and filed.
    last_week = late(client, headers, boarding_pass(NOW.date() - timedelta(days=7)), minutes=25)
    assert (last_week.json["verdict"], last_week.json["reasons"][0]["code"]) == (
        "refused",
        "pass_wrong_date",
    )
    shown_now = scan(client, headers, pass_text)  # Antwerp's list does not hold this booking
    assert (shown_now.json["verdict"], shown_now.json["reasons"][0]["code"]) == (
        "refused",
        "not_on_manifest",
    )
    with app.app_context():
        assert db.session.scalars(select(Movement.port_call_id)).all() == [first]
        refusals = select(Refusal.port_call_id).order_by(Refusal.id)
        assert db.session.scalars(refusals).all() == [first, second]


@pytest.mark.parametrize("raised_to", [2, 3])
def test_a_boarding_made_offline_before_the_level_went_up_is_decided_at_the_old_level(
    app, client, headers, make_badge, make_user, alerts, raised_to
):
    """Sent after the change, it is no false "the tablet let this person cross" alert."""
    sso = make_user("sso")
    with app.app_context():
        set_level(
            db.session,
            level=raised_to,
            reason="Port state order",
            ordered_by="port_state",
            notified_at=minutes_ago(10),
            complied_at=None,
            user=db.session.get(User, sso.id),
            now=minutes_ago(10),
        )
    code = make_badge(kind="visitor")
    before = late(client, headers, code, minutes=20, purpose="Ship's agent")
    assert (before.status_code, before.json["verdict"]) == (201, "allowed")
    # Scanned after the change by a tablet that had not heard of it: that alert is real.
    after = late(client, headers, make_badge(kind="visitor"), minutes=5, purpose="Ship's agent")
    assert after.json["verdict"] == "refused"
    with app.app_context():
        offline = select(Refusal).where(Refusal.reason_code != "late_scan_differs")
        refusal = db.session.scalars(offline).one()
    assert refusal.reason_message.startswith("OFFLINE: the tablet let this person cross.")
    assert refusal.id in alerts  # at level 3 the first one is told too: a check now refuses it


def test_a_late_scan_filed_under_an_archived_call_holds_its_purge_until_archived_again(
    app, make_user, make_person, tmp_path
):
    """Made during the call, received after its archive: the zip lacks it, so no purge yet."""
    user = make_user("admin")
    with app.app_context():
        oldest = add_old_calls(db.session, user_id=user.id, person_id=make_person())[0]
        archive_port_call(db.session, oldest, tmp_path, now=NOW - timedelta(hours=1))
        made_at = db.session.get(PortCall, oldest).departed_at - timedelta(hours=1)
        point = db.session.scalars(select(AccessPoint.id)).first()
        refusal = add_refusal(
            db.session, call_id=oldest, point_id=point, user_id=user.id, at=made_at, code="revoked"
        )
        refusal.received_at = NOW
        db.session.commit()
        with pytest.raises(BadInput, match="archive it again"):
            purge_port_call(db.session, oldest, now=NOW, retention_days=DAYS)
