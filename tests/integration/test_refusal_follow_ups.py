"""The SSO acknowledges refused entries, several at once: one chained follow-up each, all or none.

Also what people read on the refusals pages and in the incident report: plain words for every
reason (never a code), times in UTC with the port's local time.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gangway.db.models import AccessPoint, AuditEntry, PortCall, Refusal, RefusalFollowUp, User
from gangway.extensions import db
from gangway.services.ship.refusals import unacknowledged_count
from tests.conftest import NOW
from tests.support.tools import require_tool

HX = {"HX-Request": "true"}
BULK = "/sso/refusals/acknowledge"
API_BULK = "/api/v1/refusals/acknowledge"
RESPONSE = "Turned away at the gangway; the duty officer informed"


def minute(at: datetime) -> str:
    """Return a time as the page's text field takes it: 2026-12-06 14:05."""
    return f"{at:%Y-%m-%d %H:%M}"


@pytest.fixture
def add_refusal(app):
    """Return `add(code="forged", codes=None, at=...)`: record a refusal as the watch would."""

    def add(code: str = "forged", codes: str | None = None, at: datetime | None = None) -> int:
        with app.app_context():
            watch = db.session.scalars(select(User).where(User.username == "watch")).one()
            refusal = Refusal(
                scanned_text="GW1:AEAAAAQforgedcode",
                reason_code=code,
                reason_message=f"The recorded message for {code.replace('_', ' ')}.",
                reason_codes=codes or code,
                direction="board",
                occurred_at=at or NOW - timedelta(hours=3),
                access_point_id=db.session.scalars(
                    select(AccessPoint.id).where(AccessPoint.code == "MAIN-GW")
                ).one(),
                port_call_id=db.session.scalars(select(PortCall.id)).first(),
                method="scan",
                credential="badge",
                recorded_by_id=watch.id,
            )
            db.session.add(refusal)
            db.session.commit()
            return refusal.id

    return add


@pytest.fixture
def three(app, auth, add_refusal) -> list[int]:
    """Three open refusals three hours ago; the SSO logged in."""
    auth.login("watch")
    auth.logout()
    ids = [add_refusal() for _ in range(3)]
    auth.login("sso")
    return ids


def written(app) -> tuple[int, int]:
    """Return how many follow-ups and audit chain entries exist."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count(RefusalFollowUp.id))),
            db.session.scalar(select(func.count(AuditEntry.seq))),
        )


def form(ids, **changes) -> dict:
    return {"refusal_id": [str(i) for i in ids], "response": RESPONSE, **changes}


# Acknowledging several at once ---------------------------------------------------------------


def test_ticked_refusals_are_acknowledged_with_one_response_each_chained(
    app, client, runner, three
):
    reported = minute(NOW - timedelta(hours=1))
    response = client.post(BULK, data=form(three[:2], reported_to_cso_at=reported), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="refusals-list"')
    assert response.headers["HX-Trigger"] == "refusals-acknowledged"  # the banner refreshes
    assert f"2 refused entries acknowledged: r-{three[0]}, r-{three[1]}." in html
    assert 'data-testid="open-count">1<' in html
    with app.app_context():
        follow_ups = db.session.scalars(select(RefusalFollowUp).order_by(RefusalFollowUp.id)).all()
        assert [f.refusal_id for f in follow_ups] == three[:2]
        assert {f.response for f in follow_ups} == {RESPONSE}
        assert {f.reported_to_cso_at.strftime("%Y-%m-%d %H:%M") for f in follow_ups} == {reported}
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_table == "refusal_follow_up")
        ).all()
        assert sorted(e.record_id for e in entries) == [f.id for f in follow_ups]
        assert {e.kind for e in entries} == {"refusal.acknowledged"}
        assert unacknowledged_count(db.session) == 1
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0, result.output
    alert = client.get("/sso/refusals/alerts", headers=HX).get_data(as_text=True)
    assert 'data-count="1"' in alert


def test_a_plain_post_acknowledges_and_redirects_to_the_list(app, client, three):
    response = client.post(BULK, data=form(three))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sso/refusals/")
    with app.app_context():
        assert unacknowledged_count(db.session) == 0
    assert "3 refused entries acknowledged" in client.get("/sso/refusals/").get_data(as_text=True)


def test_acknowledging_one_that_is_already_done_writes_nothing_for_the_others(app, client, three):
    assert client.post(BULK, data=form(three[1:2])).status_code == 302
    before = written(app)
    html = client.post(BULK, data=form(three), headers=HX).get_data(as_text=True)
    assert f"r-{three[1]} was already acknowledged" in html
    assert written(app) == before
    with app.app_context():
        assert unacknowledged_count(db.session) == 2


BAD_INPUT = {  # name: (the form's changes, the field at fault, words of the message)
    "nothing ticked": ({"refusal_id": []}, "refusal_ids", "Tick at least one"),
    "unknown refusal": ({"refusal_id": ["999999"]}, "refusal_ids", "No refused entry r-999999"),
    "not a number": ({"refusal_id": ["12a"]}, "refusal_ids", "whole numbers"),
    "huge id": ({"refusal_id": ["9" * 30]}, "refusal_ids", "No refused entry r-0"),
    "empty response": ({"response": "  "}, "response", "Say what was done"),
    "time in the future": (
        {"reported_to_cso_at": minute(datetime.now(UTC) + timedelta(hours=1))},
        "reported_to_cso_at",
        "is in the future",
    ),
    "time before the refusal": (
        {"reported_to_pfso_at": minute(NOW - timedelta(hours=5))},
        "reported_to_pfso_at",
        "is before refused entry",
    ),
    "month first": ({"reported_to_cso_at": "12/06/2026 02:05 PM"}, "reported_to_cso_at", "UTC"),
}


@pytest.mark.parametrize(("changes", "field", "words"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_is_explained_and_nothing_is_written(app, client, three, changes, field, words):
    before = written(app)
    data = {**form(three[:2], description="Two forged codes in a row"), **changes}
    response = client.post(BULK, data=data, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # htmx swaps the list back in, with the message
    assert f'data-field="{field}"' in html
    assert words in html
    assert "Two forged codes in a row" in html  # what the SSO typed is kept
    if changes.get("refusal_id") is None:  # the ticks are kept too
        assert html.count('form="refusals-bulk" checked') == 2
    assert client.post(BULK, data=data).status_code == 400
    assert written(app) == before
    with app.app_context():
        assert unacknowledged_count(db.session) == 3


def test_one_refusals_follow_up_refuses_a_time_in_the_future_or_before_it(app, client, three):
    url = f"/sso/refusals/{three[0]}/acknowledge"
    future = minute(datetime.now(UTC) + timedelta(days=1))
    early = minute(NOW - timedelta(days=1))
    for name, value in (("reported_to_cso_at", future), ("reported_to_authorities_at", early)):
        response = client.post(url, data={"response": RESPONSE, name: value}, headers=HX)
        assert f'data-field="{name}"' in response.get_data(as_text=True)
        assert client.post(url, data={"response": RESPONSE, name: value}).status_code == 400
    assert written(app)[0] == 0


def test_the_master_may_not_acknowledge_several(client, auth, three):
    auth.logout()
    auth.login("master")
    assert client.post(BULK, data=form(three)).status_code == 403
    html = client.get("/sso/refusals/").get_data(as_text=True)
    assert 'name="refusal_id"' not in html
    assert 'id="refusals-bulk"' not in html


# The JSON API --------------------------------------------------------------------------------


def test_api_acknowledges_several_with_one_request(app, client, three):
    body = {"refusal_ids": three[:2], "response": RESPONSE, "authorities": "Port police"}
    response = client.post(API_BULK, json=body)
    assert response.status_code == 201
    answer = response.get_json()
    assert [f["refusal_id"] for f in answer["follow_ups"]] == three[:2]
    assert {f["authorities"] for f in answer["follow_ups"]} == {"Port police"}
    assert answer["unacknowledged"] == 1
    again = client.post(API_BULK, json=body)
    assert again.status_code == 400
    assert again.get_json()["field"] == "refusal_ids"
    assert "already acknowledged" in again.get_json()["message"]


@pytest.mark.parametrize("ids", [[], [999999], [True], ["1"], "1", None, [2**70], [0]], ids=repr)
def test_api_refuses_bad_refusal_ids_and_writes_nothing(app, client, three, ids):
    before = written(app)
    body = {"response": RESPONSE} if ids is None else {"refusal_ids": ids, "response": RESPONSE}
    response = client.post(API_BULK, json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == "refusal_ids"
    assert written(app) == before


def test_openapi_documents_the_bulk_acknowledgement(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/refusals/acknowledge"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["refusal_ids", "response"]
    assert schema["properties"]["refusal_ids"]["minItems"] == 1
    assert {"201", "400"} <= operation["responses"].keys()


# Plain words and port time -------------------------------------------------------------------


def test_reasons_read_as_words_never_as_codes(app, client, auth, add_refusal, tmp_path):
    auth.login("watch")
    auth.logout()
    refusal_id = add_refusal("responders_only", "responders_only,escort_needed")
    auth.login("sso")
    pages = [
        client.get("/sso/refusals/").get_data(as_text=True),
        client.get("/sso/refusals/alerts", headers=HX).get_data(as_text=True),
    ]
    for html in pages:
        assert "responders_only" not in html
        assert "escort_needed" not in html
    assert "Level 3: responders only" in pages[0]  # the line's label
    assert "No escort available" in pages[0]  # the second reason, in the opened row
    assert "The recorded message for responders only." in pages[0]
    pdf = tmp_path / "incident.pdf"
    pdf.write_bytes(client.get(f"/sso/refusals/{refusal_id}/incident.pdf").data)
    text = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = " ".join(text.split())
    assert "responders_only" not in squashed
    assert "escort_needed" not in squashed
    assert "The recorded message for responders only." in squashed
    assert "No escort available" in squashed
    assert "Boarding" in squashed


def test_times_show_in_utc_and_the_ports_local_time(app, client, auth, add_refusal):
    with app.app_context():
        db.session.scalars(select(PortCall)).one().timezone = "Europe/Amsterdam"
        db.session.commit()
    auth.login("watch")
    auth.logout()
    add_refusal(at=datetime(2026, 1, 15, 14, 5, tzinfo=UTC))
    auth.login("sso")
    html = client.get("/sso/refusals/").get_data(as_text=True)
    assert "2026-01-15 14:05 UTC" in html
    assert "15:05 CET" in html  # the line: the date is the same
    assert "2026-01-15 15:05 CET" in html  # the opened row
    assert 'data-zone="Europe/Amsterdam"' in html  # the port time beside a typed time
    alert = client.get("/sso/refusals/alerts", headers=HX).get_data(as_text=True)
    assert "2026-01-15 14:05 UTC (2026-01-15 15:05 CET port)" in alert
