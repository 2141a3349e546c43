"""A visitor's badge is good within the port call it was issued for, and no further (B/9.11)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gangway.db.models import Badge, Movement, PortCall, Refusal, User
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.people.badge_overview import badge_overview
from gangway.services.ship.port_calls import close_port_call, open_port_call
from tests.integration import test_offline_api as offline
from tests.integration.test_audit_log import verify
from tests.integration.test_offline_api import late
from tests.integration.test_offline_api import scan as scan_api
from tests.integration.test_visitors import register

HX = {"HX-Request": "true"}
headers = offline.headers  # the same fixture here


def scan(client, code, direction="board"):
    data = {"code": code, "direction": direction}
    return client.post("/watch/scan", data=data, headers=HX).get_data(as_text=True)


def close_call(app, call_id=1):
    with app.app_context():
        close_port_call(db.session, call_id, departed_at=None, now=utcnow(), confirm_aboard=True)


def open_call(app, port="Hamburg"):
    with app.app_context():
        sso = db.session.scalars(select(User).where(User.role == "sso")).first()
        call = open_port_call(
            db.session,
            port_name=port,
            unlocode=None,
            facility_name=None,
            pfso_name=None,
            pfso_contact=None,
            berth=None,
            arrived_at=None,
            departs_at=None,
            port_security_level=None,
            timezone="Europe/Berlin",
            user=sso,
            now=utcnow(),
        )
        return call.id


def visitor_badge(app, auth, client) -> Badge:
    auth.login("sso")
    register(client)
    with app.app_context():
        badge = db.session.scalars(select(Badge)).one()
        db.session.expunge(badge)
        return badge


def test_a_visitor_badge_is_issued_for_the_open_port_call(app, auth, client):
    assert visitor_badge(app, auth, client).port_call_id == 1


def test_after_the_call_closes_the_visitor_badge_is_refused_as_expired(app, auth, client, runner):
    badge = visitor_badge(app, auth, client)
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, badge.code)
    assert 'data-verdict="allowed"' in scan(client, badge.code, "depart")
    close_call(app)
    html = scan(client, badge.code)
    assert 'data-verdict="refused"' in html
    assert 'data-code="expired"' in html
    assert "the port call at Rotterdam it was issued for ended" in html
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert refusal.reason_code == "expired"
    verify(runner, ok=True)


def test_a_new_call_elsewhere_does_not_bring_the_badge_back(app, auth, client):
    badge = visitor_badge(app, auth, client)
    close_call(app)
    open_call(app)
    auth.login("watch")
    html = scan(client, badge.code)
    assert 'data-verdict="refused"' in html
    assert "the port call at Rotterdam it was issued for ended" in html
    with app.app_context():
        assert db.session.scalars(select(Movement)).all() == []


def test_a_visitor_still_aboard_after_the_close_may_leave_warned(app, auth, client):
    badge = visitor_badge(app, auth, client)
    auth.login("watch")
    scan(client, badge.code)
    close_call(app)
    html = scan(client, badge.code, "depart")
    assert 'data-verdict="allowed"' in html
    assert "(departure recorded)" in html


def test_a_crew_badge_keeps_the_dates_it_was_issued_with(app, auth, client, make_badge):
    code = make_badge(kind="crew", valid_until=utcnow() + timedelta(days=30))
    close_call(app)
    open_call(app)
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, code)


def test_a_reissued_visitor_badge_is_for_the_call_it_is_reissued_in(app, auth, client):
    badge = visitor_badge(app, auth, client)
    close_call(app)
    new_call = open_call(app)
    auth.login("sso")
    client.post(f"/sso/badges/{badge.id}/reissue")
    with app.app_context():
        new = db.session.scalars(select(Badge).where(Badge.replaces_id == badge.id)).one()
        assert new.port_call_id == new_call
        code = new.code
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, code)


def test_the_offline_pack_ends_the_badge_with_its_call(app, auth, client, make_user):
    badge = visitor_badge(app, auth, client)
    close_call(app)
    with app.app_context():
        ended = db.session.get(Badge, badge.id)
        departed = db.session.get(PortCall, 1).departed_at
        assert ended.valid_until > departed
    auth.login("watch")
    pack = client.get("/api/v1/offline-pack").get_json()
    entry = next(b for b in pack["badges"] if b["badge_id"] == badge.id)
    assert entry["valid_until"] == departed.isoformat()


def test_a_long_term_badge_keeps_the_dates_the_sso_set(app, auth, client):
    auth.login("sso")
    assert 'name="long_term"' in client.get("/sso/visitors/new").get_data(as_text=True)
    register(client, long_term="1")
    with app.app_context():
        badge = db.session.scalars(select(Badge)).one()
        assert badge.port_call_id is None
        code = badge.code
    close_call(app)
    open_call(app)
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, code)


def test_a_group_is_issued_for_the_open_call_unless_long_term(app, auth, client):
    auth.login("sso")
    data = {"kind": "visitor", "company": "Tank cleaners", "purpose": "Ship's agent"}
    client.post("/sso/visitors/group", data={**data, "members": "DE VRIES, Anna"})
    client.post("/sso/visitors/group", data={**data, "members": "JANSEN, Piet", "long_term": "1"})
    with app.app_context():
        calls = db.session.scalars(select(Badge.port_call_id).order_by(Badge.id)).all()
    assert calls == [1, None]


def test_a_late_check_from_before_the_close_is_judged_as_of_its_time(app, auth, client, headers):
    auth.login("sso")
    register(client, valid_from=(utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    with app.app_context():
        badge = db.session.scalars(select(Badge)).one()
    close_call(app)
    tablet = app.test_client()  # a token client, no cookie
    before = late(tablet, headers, badge.code, minutes=5).get_json()  # made in the call
    assert before["verdict"] == "allowed"
    after = scan_api(tablet, headers, badge.code, direction="board").get_json()
    assert after["verdict"] == "refused"
    assert after["reasons"][0]["code"] == "expired"


def test_the_badge_page_names_its_call_and_says_expired_once_closed(app, auth, client):
    badge = visitor_badge(app, auth, client)
    page = client.get(f"/sso/badges/{badge.id}").get_data(as_text=True)
    assert "Valid for the port call at Rotterdam" in page
    assert ">ACTIVE<" in page
    close_call(app)
    page = client.get(f"/sso/badges/{badge.id}").get_data(as_text=True)
    assert "(closed " in page
    assert ">EXPIRED<" in page


def test_the_badge_lists_count_it_expired_once_its_call_closed(app, auth, client):
    badge = visitor_badge(app, auth, client)
    auth.login("watch")
    scan(client, badge.code)  # still aboard when the call closes
    close_call(app)
    auth.login("sso")
    with app.app_context():
        found = badge_overview(db.session, utcnow())
        assert [b.id for b in found.active] == []
        assert [b.id for b in found.expired] == [badge.id]
        assert [b.id for b in found.overstaying] == [badge.id]
