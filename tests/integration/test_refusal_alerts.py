"""Refused entries reach the SSO at once (B/9.12): mail, alert, follow-ups, incident report."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from gangway.background import mail
from gangway.db.models import Refusal, RefusalFollowUp
from gangway.extensions import db
from gangway.services.ship.refusals import unacknowledged_count
from tests.conftest import NOW, build_app, dispose
from tests.support.smtp import free_port, smtp_server
from tests.support.tools import require_tool

HX = {"HX-Request": "true"}


@pytest.fixture
def app(tmp_path):
    """The usual app; any mail still queued is finished before the database goes away."""
    app = build_app(tmp_path)
    yield app
    assert mail.wait_until_idle(app, timeout=15)
    dispose(app)


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1, with the app configured to mail the SSO through it."""
    with smtp_server() as (inbox, port):
        app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            SSO_EMAIL="sso@ship.example, master@ship.example",
            MAIL_FROM="gangway@ship.example",
            MAIL_TIMEOUT=5,
        )
        yield inbox
        mail.wait_until_idle(app, timeout=15)


def forged(code: str) -> str:
    """Change one character of a badge code so its signature no longer verifies."""
    return code[:20] + ("A" if code[20] != "A" else "B") + code[21:]


def scan(client, code: str, direction: str = "board"):
    return client.post("/watch/scan", data={"code": code, "direction": direction}, headers=HX)


def refusal_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Refusal.id).order_by(Refusal.id)))


def refuse(app, auth, client, make_badge, times: int = 1) -> list[int]:
    """Scan forged codes as the watch, then log in as the SSO; return the refusal ids.

    The refusals are dated three hours ago, so that a follow-up may say it was reported at
    CSO_AT (a reported time must lie between the refusal and now).
    """
    auth.login("watch")
    code = make_badge()
    for _ in range(times):
        assert 'data-verdict="refused"' in scan(client, forged(code)).get_data(as_text=True)
    auth.logout()
    auth.login("sso")
    with app.app_context():
        # Backdated beside the ORM, which refuses to edit a refusal in place (append-only).
        db.session.execute(update(Refusal).values(occurred_at=NOW - timedelta(hours=3)))
        db.session.commit()
    return refusal_ids(app)


# Mail ---------------------------------------------------------------------------------------


def test_forged_scan_mails_the_sso_with_the_reason_and_access_point(
    app, auth, client, make_badge, smtp
):
    auth.login("watch")
    code = forged(make_badge())
    html = scan(client, code).get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert smtp.arrived.wait(timeout=10), "no mail reached the SMTP server"
    (message,) = smtp.messages
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        reason, refusal_id = refusal.reason_message, refusal.id
    assert message["Subject"] == f"REFUSED at Main gangway: {reason}"
    assert message["From"] == "gangway@ship.example"
    assert smtp.envelopes[0].rcpt_tos == ["sso@ship.example", "master@ship.example"]
    body = message.get_content()
    assert reason in body
    assert "Main gangway (MAIN-GW)" in body
    assert "Direction:     board" in body
    assert "Watch:         watch" in body
    assert code[:40] in body
    assert f"/sso/refusals/#refusal-{refusal_id}" in body
    assert re.search(r"Time \(UTC\): +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", body)


def test_an_allowed_scan_sends_no_mail(app, auth, client, make_badge, smtp):
    auth.login("watch")
    assert 'data-verdict="allowed"' in scan(client, make_badge()).get_data(as_text=True)
    assert mail.wait_until_idle(app, timeout=5)
    assert smtp.messages == []


def test_with_mail_off_no_sender_thread_is_started(app, auth, client, make_badge):
    auth.login("watch")
    scan(client, forged(make_badge()))
    assert len(refusal_ids(app)) == 1
    assert "gangway.background.mail" not in app.extensions


@pytest.fixture
def silent_server():
    """A port that accepts connections and never says a word: a hung mail server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


@pytest.mark.parametrize("server", ["closed", "silent"])
def test_mail_server_down_still_records_the_refusal_and_answers_fast(
    app, auth, client, make_badge, caplog, request, server
):
    port = free_port() if server == "closed" else request.getfixturevalue("silent_server")
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, SSO_EMAIL=["sso@ship.example"], MAIL_TIMEOUT=2
    )
    auth.login("watch")
    code = forged(make_badge())
    started = time.monotonic()
    response = scan(client, code)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert 'data-verdict="refused"' in response.get_data(as_text=True)
    assert elapsed < 1.5, f"the scan waited for the mail server ({elapsed:.2f} s)"
    assert len(refusal_ids(app)) == 1
    assert mail.wait_until_idle(app, timeout=10)
    assert "Could not mail the SSO about refusal" in caplog.text
    # The worker survives a failure and keeps serving the queue.
    assert mail.send_refusal_alert(app, refusal_ids(app)[0])
    assert mail.wait_until_idle(app, timeout=10)


def test_sso_email_may_be_a_list_or_a_comma_separated_string():
    assert mail.recipients({"SSO_EMAIL": "a@x.example, b@x.example,"}) == [
        "a@x.example",
        "b@x.example",
    ]
    assert mail.recipients({"SSO_EMAIL": ["a@x.example"]}) == ["a@x.example"]
    assert mail.recipients({}) == []


# Alert fragment -----------------------------------------------------------------------------


def test_alert_fragment_shows_the_count_and_the_newest_refusal(app, auth, client, make_badge):
    ids = refuse(app, auth, client, make_badge, times=2)
    response = client.get("/sso/refusals/alerts", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="refusals-alerts"')
    assert "HX-Request" in response.headers["Vary"]
    assert f'data-newest-id="{ids[-1]}"' in html
    assert 'data-count="2"' in html
    assert 'data-testid="refusal-count">2<' in html
    assert "Main gangway" in html
    assert f"#refusal-{ids[-1]}" in html
    # Swapped in: it must not re-trigger on load; an acknowledgement refreshes it at once.
    assert 'hx-trigger="every 3s, refusals-acknowledged from:body"' in html


def test_every_sso_page_loads_the_alert_and_its_alarm_script(app, auth, client):
    auth.login("master")
    html = client.get("/sso/onboard").get_data(as_text=True)
    assert 'id="refusals-alerts"' in html
    assert 'hx-trigger="load, every 3s, refusals-acknowledged from:body"' in html
    assert "/static/js/alerts.js" in html
    auth.logout()
    auth.login("watch")
    assert 'id="refusals-alerts"' not in client.get("/watch/").get_data(as_text=True)


def test_alert_is_empty_when_nothing_waits(app, auth, client):
    auth.login("sso")
    html = client.get("/sso/refusals/alerts", headers=HX).get_data(as_text=True)
    assert 'data-count="0"' in html
    assert 'data-newest-id="0"' in html
    assert "refusal-alert" not in html


# Acknowledge --------------------------------------------------------------------------------

CSO_AT, PFSO_AT = NOW - timedelta(hours=2), NOW - timedelta(minutes=110)
FOLLOW_UP = {
    "response": "Person escorted off the berth by the duty officer",
    "description": "Presented a badge with an altered code",
    "location_in_port": "Rotterdam, Waalhaven terminal",
    "location_on_vessel": "Main gangway",
    "reported_to_cso_at": f"{CSO_AT:%Y-%m-%dT%H:%M}",
    "reported_to_pfso_at": f"{PFSO_AT:%Y-%m-%d %H:%M}",  # as the page's text field takes it
    "reported_to_authorities_at": "",
    "authorities": "",
}


def test_page_lists_open_refusals_with_a_prefilled_acknowledge_form(app, auth, client, make_badge):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    html = client.get("/sso/refusals/").get_data(as_text=True)
    assert 'id="refusals-list"' in html
    assert f'id="refusal-{refusal_id}" class="refusal refusal-open"' in html
    assert 'name="location_on_vessel" maxlength="200" value="Main gangway"' in html
    assert 'value="Rotterdam"' in html
    # Times typed as 24-hour ISO text (no locale-drawn mm/dd/yyyy picker): the row's form and
    # the form acknowledging the ticked rows have three each.
    assert 'type="datetime-local"' not in html
    assert html.count('placeholder="YYYY-MM-DD HH:MM"') == 6
    assert 'name="csrf_token"' in html
    assert "Test watch" in html


def test_acknowledge_writes_a_follow_up_and_clears_the_alert(app, auth, client, make_badge):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    response = client.post(f"/sso/refusals/{refusal_id}/acknowledge", data=FOLLOW_UP, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="refusals-list"')
    assert f"Refusal r-{refusal_id} acknowledged." in html
    assert "refusal-done" in html
    with app.app_context():
        follow_up = db.session.scalars(select(RefusalFollowUp)).one()
        assert follow_up.refusal_id == refusal_id
        assert follow_up.response == FOLLOW_UP["response"]
        assert follow_up.location_in_port == "Rotterdam, Waalhaven terminal"
        assert follow_up.reported_to_cso_at == CSO_AT.replace(second=0)
        assert follow_up.reported_to_authorities_at is None
        assert follow_up.authorities is None
        assert unacknowledged_count(db.session) == 0
    alert = client.get("/sso/refusals/alerts", headers=HX).get_data(as_text=True)
    assert 'data-count="0"' in alert


def test_a_refusal_may_get_several_follow_ups_and_plain_posts_redirect(
    app, auth, client, make_badge
):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    url = f"/sso/refusals/{refusal_id}/acknowledge"
    assert client.post(url, data=FOLLOW_UP).status_code == 302
    assert client.post(url, data={"response": "Reported to the PFSO by phone"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(RefusalFollowUp.id))) == 2


def test_empty_response_is_refused_and_nothing_written(app, auth, client, make_badge):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    url = f"/sso/refusals/{refusal_id}/acknowledge"
    html = client.post(url, data={**FOLLOW_UP, "response": "  "}, headers=HX).get_data(as_text=True)
    assert 'data-field="response"' in html
    assert FOLLOW_UP["description"] in html  # the SSO's typing is kept
    assert client.post(url, data={**FOLLOW_UP, "response": ""}).status_code == 400
    assert client.post("/sso/refusals/999/acknowledge", data=FOLLOW_UP).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(RefusalFollowUp.id))) == 0
        assert unacknowledged_count(db.session) == 1


# Incident report ----------------------------------------------------------------------------


def poppler(tool: str) -> str:
    return require_tool(tool)


def test_incident_report_is_one_a4_page_with_the_incident_fields(
    app, auth, client, make_badge, tmp_path
):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    client.post(f"/sso/refusals/{refusal_id}/acknowledge", data=FOLLOW_UP)
    response = client.get(f"/sso/refusals/{refusal_id}/incident.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "incident.pdf"
    pdf.write_bytes(response.data)
    info = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "(A4)" in info
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = " ".join(text.split())
    with app.app_context():
        reason = db.session.get(Refusal, refusal_id).reason_message
    assert reason in squashed
    assert "Main gangway" in squashed
    assert "MV Test Ship" in squashed
    assert "Rotterdam, Waalhaven terminal" in squashed
    assert f"{CSO_AT:%Y-%m-%d %H:%M} UTC" in squashed
    assert " ".join(FOLLOW_UP["response"].split()[:4]) in squashed
    assert "Test sso" in squashed
    assert client.get("/sso/refusals/999/incident.pdf").status_code == 404


# API ----------------------------------------------------------------------------------------


def test_api_lists_refusals_since_a_time_and_only_unacknowledged(app, auth, client, make_badge):
    ids = refuse(app, auth, client, make_badge, times=2)
    with app.app_context():
        # Backdated beside the ORM, which refuses to edit a refusal in place (append-only).
        backdate = update(Refusal).where(Refusal.id == ids[0])
        db.session.execute(backdate.values(occurred_at=NOW - timedelta(days=2)))
        db.session.commit()
    body = client.get("/api/v1/refusals").get_json()
    assert [r["id"] for r in body["refusals"]] == [ids[1], ids[0]]
    assert body["unacknowledged"] == 2
    since = (NOW - timedelta(days=1)).isoformat()
    body = client.get("/api/v1/refusals", query_string={"since": since}).get_json()
    assert [r["id"] for r in body["refusals"]] == [ids[1]]
    newest = body["refusals"][0]
    assert newest["access_point"] == "MAIN-GW"
    assert newest["reason_code"] == "forged"
    assert newest["recorded_by"] == "watch"
    assert newest["acknowledged"] is False
    naive = (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert len(client.get(f"/api/v1/refusals?since={naive}").get_json()["refusals"]) == 1
    bad = client.get("/api/v1/refusals?since=yesterday")
    assert bad.status_code == 400
    assert bad.get_json()["field"] == "since"

    created = client.post(f"/api/v1/refusals/{ids[1]}/acknowledge", json=FOLLOW_UP)
    assert created.status_code == 201
    follow_up = created.get_json()
    assert follow_up["refusal_id"] == ids[1]
    assert follow_up["reported_to_pfso_at"] == PFSO_AT.replace(second=0).isoformat()
    body = client.get("/api/v1/refusals?unacknowledged=1").get_json()
    assert [r["id"] for r in body["refusals"]] == [ids[0]]
    assert body["unacknowledged"] == 1


def test_api_acknowledge_refuses_bad_input(app, auth, client, make_badge):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    url = f"/api/v1/refusals/{refusal_id}/acknowledge"
    empty = client.post(url, json={"response": ""})
    assert empty.status_code == 400
    assert empty.get_json()["field"] == "response"
    assert client.post(url, json={"response": 5}).status_code == 400
    assert client.post(url, json=["not", "an", "object"]).status_code == 400
    assert client.post("/api/v1/refusals/999/acknowledge", json=FOLLOW_UP).status_code == 404


def test_openapi_documents_the_refusal_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/refusals"]
    assert "post" in paths["/refusals/{refusal_id}/acknowledge"]


@pytest.mark.parametrize("role", ["watch", "pfso"])
def test_watch_and_pfso_may_not_see_refusals(auth, client, role):
    auth.login(role)
    assert client.get("/sso/refusals/").status_code == 403
    assert client.get("/sso/refusals/alerts", headers=HX).status_code == 403
    assert client.get("/api/v1/refusals").status_code == 403
    assert client.post("/api/v1/refusals/1/acknowledge", json=FOLLOW_UP).status_code == 403


def test_master_may_read_but_not_acknowledge(app, auth, client, make_badge):
    (refusal_id,) = refuse(app, auth, client, make_badge)
    auth.logout()
    auth.login("master")
    html = client.get("/sso/refusals/").get_data(as_text=True)
    assert f'id="refusal-{refusal_id}"' in html
    assert "refusal-form" not in html
    assert client.post(f"/sso/refusals/{refusal_id}/acknowledge", data=FOLLOW_UP).status_code == 403
