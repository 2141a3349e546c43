"""A port state control officer's read-only inspection access (issue 19 point 4).

The SSO issues it (a code and a one-time link shown as a QR), the officer opens it by code or
link and reads the records, each page chained; it ends at its expiry or when revoked; every
other route answers the officer as it answers anyone not logged in.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from gangway.db.models import AuditEntry, InspectionAccess, User
from gangway.extensions import db
from gangway.services.ship.declarations import record_declaration
from gangway.services.ship.follow_ups import acknowledge
from gangway.services.ship.security_level import set_level
from gangway.web.pages.inspect.scope import COOKIE
from tests.conftest import NOW, build_app, dispose
from tests.integration.test_roles import ROUTES, url_for_rule
from tests.integration.test_security_report import PARTICULARS

PAGES = ("certificate", "calls", "levels", "declarations", "refusals", "log")
ENDED = "This inspection access has ended: ask the SSO for a new code."


def issue(client, officer: str = "J. Smith, PSC") -> tuple[str, str]:
    """Issue an access as the logged-in officer of the ship; return (code, link path)."""
    response = client.post("/sso/inspections/", data={"officer": officer})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    code = re.search(r'data-testid="inspection-code">([^<]+)<', html).group(1)
    png = base64.b64decode(re.search(r"data:image/png;base64,([^\"]+)", html).group(1))
    url = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text  # what a phone reads
    return code, url.removeprefix("http://localhost")


def chain(app, kind: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        stmt = select(AuditEntry).order_by(AuditEntry.seq)
        entries = list(db.session.scalars(stmt))
        db.session.expunge_all()
    return [e for e in entries if kind is None or e.kind == kind]


@pytest.fixture
def officer(app):
    """The officer's phone: a client of its own, logged in as no one."""
    return app.test_client()


@pytest.fixture
def records(app, client, auth, make_badge, make_person):
    """A level change, a DoS, a refused entry with its follow-up, a boarding: documents kept."""
    auth.login("watch")
    person = make_person(document_number="P12345678")
    client.post("/watch/scan", data={"code": make_badge(person), "direction": "board"})
    stranger = make_person(family="DOE", given="Jane", document_number="X98765432")
    old = make_badge(
        stranger, valid_from=NOW - timedelta(days=9), valid_until=NOW - timedelta(days=1)
    )
    client.post("/watch/scan", data={"code": old, "direction": "board"})
    auth.logout()
    auth.login("sso")
    expires_on = (NOW + timedelta(days=20)).date().isoformat()
    client.post("/sso/particulars/", data={**PARTICULARS, "certificate_expires_on": expires_on})
    with app.app_context():
        sso = db.session.scalars(select(User).where(User.username == "sso")).one()
        level = {"level": 2, "reason": "Port state order", "ordered_by": "port_state"}
        set_level(db.session, **level, notified_at=NOW, complied_at=NOW, user=sso, now=NOW)
        record_declaration(
            db.session, level=2, ship_party_name="A. Officer", ship_party_role="sso",
            port_party_name="P. Facility", port_facility="Terminal 4", reason="Level 2 ordered",
            measures="Every bag searched", valid_from=NOW, valid_until=NOW + timedelta(days=1),
            signed_at=NOW, user=sso, now=NOW,
        )  # fmt: skip
        acknowledge(db.session, 1, user=sso, now=NOW, response="Told the agent: badge renewed")


def test_the_officer_reads_every_page_by_code_each_view_chained(
    app, client, officer, records, runner
):
    code, _ = issue(client)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    opened = officer.post("/inspect", data={"code": f" {code.lower().replace('-', ' ')} "})
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/inspect/view/certificate"
    shown = {page: officer.get(f"/inspect/view/{page}") for page in PAGES}
    assert {page: r.status_code for page, r in shown.items()} == dict.fromkeys(PAGES, 200)
    assert all(r.headers["Cache-Control"] == "no-store" for r in shown.values())
    text = {page: r.get_data(as_text=True) for page, r in shown.items()}
    assert "Level 2" in text["certificate"]
    assert "DNV for Liberia" in text["certificate"]
    assert "The ISSC expires on" in text["certificate"]
    assert "Rotterdam" in text["calls"]
    assert 'data-testid="call-level">2<' in text["calls"]
    assert "Port state order" in text["levels"]
    assert "Complied" in text["levels"]
    assert "Port state (contracting government)" in text["levels"]  # words, never a code
    assert "Every bag searched" in text["declarations"]
    assert "DOE, Jane" in text["refusals"]
    assert "Told the agent: badge renewed" in text["refusals"]
    assert "•••••5678" in text["log"]
    assert "•••••5432" in text["refusals"]
    assert not any("P12345678" in t or "X98765432" in t for t in text.values())
    with app.app_context():
        access = db.session.scalars(select(InspectionAccess)).one()
        assert code.replace("-", "") not in (access.code_hash, access.link_hash)
    viewed = chain(app, "inspection.viewed")
    assert [re.search(r'"page":"(\w+)"', e.payload).group(1) for e in viewed] == list(PAGES)
    assert all(f'"access_id":{access.id}' in e.payload for e in viewed)
    kinds = [e.kind for e in chain(app) if e.kind.startswith("inspection.")]
    assert kinds[:2] == ["inspection.issued", "inspection.opened"]
    assert runner.invoke(args=["verify-log"]).exit_code == 0


def test_the_link_opens_once_and_a_forged_or_replayed_link_is_refused(app, auth, client, officer):
    auth.login("master")
    _, link = issue(client)
    assert officer.get(link).status_code == 200  # a preview reads the page, it uses nothing
    with app.app_context():
        assert db.session.scalars(select(InspectionAccess.link_used_at)).one() is None
    assert officer.post(link).headers["Location"] == "/inspect/view/certificate"
    assert officer.get("/inspect/view/levels").status_code == 200
    again = app.test_client().post(link)
    assert again.status_code == 403
    assert "used already" in again.get_data(as_text=True)
    forged = app.test_client().post("/inspect/" + "A" * 32)
    assert forged.status_code == 403
    assert "not valid" in forged.get_data(as_text=True)
    assert app.test_client().get("/inspect/" + link[9:-1]).status_code == 404  # not a link
    assert [e.kind for e in chain(app, "inspection.opened")] == ["inspection.opened"]
    closed = officer.post("/inspect/end")  # the officer closes it on the phone
    assert f"{COOKIE}=;" in closed.headers["Set-Cookie"]
    assert officer.get("/inspect/view/levels").headers["Location"] == "/inspect"


def test_the_access_ends_at_its_expiry_and_nothing_more_is_read(
    app, auth, client, officer, monkeypatch
):
    auth.login("sso")
    code, link = issue(client)
    officer.post("/inspect", data={"code": code})
    with app.app_context():
        expires_at = db.session.scalars(select(InspectionAccess.expires_at)).one()
    clock = "gangway.web.pages.inspect.inspector.utcnow"
    monkeypatch.setattr(clock, lambda: expires_at - timedelta(seconds=1))
    assert officer.get("/inspect/view/certificate").status_code == 200
    monkeypatch.setattr(clock, lambda: expires_at)
    ended = officer.get("/inspect/view/certificate")
    assert ended.status_code == 403
    assert ENDED in ended.get_data(as_text=True)
    assert f"{COOKIE}=;" in ended.headers["Set-Cookie"]  # the browser forgets the scope
    assert app.test_client().post("/inspect", data={"code": code}).status_code == 403
    assert app.test_client().post(link).status_code == 403
    assert len(chain(app, "inspection.viewed")) == 1  # the refused page is not a view


def test_a_revoked_access_opens_nothing_at_once(app, auth, client, officer):
    auth.login("sso")
    code, _ = issue(client)
    officer.post("/inspect", data={"code": code})
    assert officer.get("/inspect/view/log").status_code == 200
    assert client.post("/sso/inspections/1/revoke").status_code == 302
    refused = officer.get("/inspect/view/log")
    assert refused.status_code == 403
    assert ENDED in refused.get_data(as_text=True)
    assert app.test_client().post("/inspect", data={"code": code}).status_code == 403
    assert client.post("/sso/inspections/1/revoke").status_code == 400  # ended already
    assert "Revoked" in client.get("/sso/inspections/").get_data(as_text=True)
    assert [e.kind for e in chain(app) if e.kind == "inspection.revoked"] == ["inspection.revoked"]


def test_every_other_route_answers_the_officer_as_anyone_not_logged_in(app, auth, client, officer):
    auth.login("sso")
    code, _ = issue(client)
    officer.post("/inspect", data={"code": code})
    scope = officer.get_cookie(COOKIE, path="/inspect").value
    officer.set_cookie(COOKIE, scope, path="/")  # even sent everywhere, it opens nothing else
    wrong = []
    for method, rule, _ in ROUTES:
        r = officer.open(url_for_rule(rule), method=method, data={} if method == "POST" else None)
        to_login = r.status_code == 302 and r.headers["Location"].startswith("/login")
        if not (to_login or r.status_code == 401):
            wrong.append(f"{method} {rule}: {r.status_code}")
    assert not wrong, "; ".join(wrong)
    # And the ship's own users hold no inspection scope: the records pages ask for the code.
    assert client.get("/inspect/view/certificate").headers["Location"] == "/inspect"


def test_wrong_codes_wait_longer_and_the_ships_users_still_log_in(app, auth, client, officer):
    auth.login("sso")
    code, _ = issue(client)
    statuses = [
        officer.post("/inspect", data={"code": "ABCD-EFGH-JKLM"}).status_code for _ in range(3)
    ]
    assert statuses == [401, 401, 429]  # after two, a wait before each try
    waiting = officer.post("/inspect", data={"code": code})  # even the right code waits now
    assert waiting.status_code == 429
    assert int(waiting.headers["Retry-After"]) >= 1
    assert "Too many wrong codes" in waiting.get_data(as_text=True)
    auth.logout()
    auth.login("sso")  # the ship's logins count apart: no wait there


def test_a_bad_officer_name_is_refused_and_nothing_is_issued(app, auth, client):
    auth.login("sso")
    response = client.post("/sso/inspections/", data={"officer": "x" * 121})
    assert response.status_code == 400
    assert "under 120 characters" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(InspectionAccess)).all() == []


def test_a_form_kept_open_too_long_asks_for_the_code_again_not_a_login(tmp_path):
    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        stale = app.test_client().post("/inspect", data={"code": "ABCD-EFGH-JKLM"})
        assert stale.status_code == 400
        assert "The page had expired: type the code again." in stale.get_data(as_text=True)
    finally:
        dispose(app)
