"""Port calls (SSO) and the PFSO's read-only access log: pages, CSV export and the API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import AccessPoint, Movement, Person, PortCall, Refusal, User
from gangway.extensions import db
from tests.conftest import NOW, AuthActions


def _person(kind, family, given, **fields) -> Person:
    person = Person(kind=kind, family_name=family, given_names=given, **fields)
    db.session.add(person)
    return person


@pytest.fixture
def log(app, make_user):
    """Records in two port calls: Rotterdam (Euromax, open) and Hamburg (CTA, departed)."""
    recorder = make_user("sso")
    pfso = make_user("pfso")
    with app.app_context():
        user = db.session.get(User, pfso.id)
        user.facility_name, user.facility_unlocode = "Euromax Terminal", "NLRTM"
        rotterdam = db.session.scalars(select(PortCall)).one()
        rotterdam.facility_name, rotterdam.timezone = "EUROMAX TERMINAL", "Europe/Amsterdam"
        hamburg = PortCall(
            port_name="Hamburg",
            unlocode="DEHAM",
            facility_name="CTA",
            arrived_at=NOW - timedelta(days=5),
            departed_at=NOW - timedelta(days=3),
        )
        db.session.add(hamburg)
        main = db.session.scalars(select(AccessPoint).where(AccessPoint.code == "MAIN-GW")).one()
        aft = db.session.scalars(select(AccessPoint).where(AccessPoint.code == "AFT-LADDER")).one()
        hansen = _person("crew", "HANSEN", "Erik", document_number="P1234567")
        visitor = _person("visitor", "=SUM(A1)", "Eve", company="ACME", document_number="V9876543")
        smith = _person("contractor", "SMITH", "Jo", company="Fixit BV")
        jones = _person("crew", "JONES", "Ann")
        db.session.flush()

        def move(person, direction, hours, point=main, call=rotterdam, **fields):
            db.session.add(
                Movement(
                    person_id=person.id,
                    direction=direction,
                    occurred_at=NOW - timedelta(hours=hours),
                    access_point_id=point.id,
                    port_call_id=call.id,
                    method="scan",
                    recorded_by_id=recorder.id,
                    **fields,
                )
            )

        move(hansen, "board", 10)
        move(hansen, "depart", 9, point=aft)
        move(visitor, "board", 8, purpose="Delivery of stores", escort_id=hansen.id)
        move(jones, "board", 80, call=hamburg)
        db.session.add(
            Refusal(
                scanned_text="GW1:expired",
                reason_code="expired",
                reason_message="Badge expired",
                reason_codes="expired",
                direction="board",
                person_id=smith.id,
                occurred_at=NOW - timedelta(hours=7),
                access_point_id=main.id,
                port_call_id=rotterdam.id,
                method="scan",
                recorded_by_id=recorder.id,
            )
        )
        db.session.commit()
        return {"rotterdam": rotterdam.id, "hamburg": hamburg.id}


def _names(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["name"] for row in response.get_json()["rows"]]


# Port calls (SSO)


def test_the_sso_closes_the_open_port_call_and_opens_the_next(app, auth, client):
    auth.login("sso")
    page = client.get("/sso/port-calls/")
    assert page.status_code == 200
    assert "Rotterdam" in page.get_data(as_text=True)
    response = client.post("/sso/port-calls/1/close", data={"departed_at": ""})
    assert response.status_code == 302
    response = client.post(
        "/sso/port-calls/",
        data={
            "port_name": "Antwerp",
            "unlocode": "beanr",
            "facility_name": "MPET",
            "timezone": "Europe/Brussels",
            "port_security_level": "2",
            "arrived_at": "2026-11-22T08:00",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        calls = {c.port_name: c for c in db.session.scalars(select(PortCall))}
        assert calls["Rotterdam"].departed_at is not None
        antwerp = calls["Antwerp"]
        assert (antwerp.unlocode, antwerp.timezone, antwerp.port_security_level) == (
            "BEANR",
            "Europe/Brussels",
            2,
        )
        assert antwerp.departed_at is None


def test_only_one_port_call_is_open_at_a_time(app, auth, client):
    auth.login("sso")
    response = client.post("/sso/port-calls/", data={"port_name": "Antwerp"})
    assert response.status_code == 400
    assert "Close the port call at Rotterdam" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(PortCall)).all()) == 1


def test_a_closed_port_call_cannot_be_closed_again(auth, client):
    auth.login("sso")
    assert client.post("/sso/port-calls/1/close").status_code == 302
    response = client.post("/sso/port-calls/1/close")
    assert response.status_code == 400
    assert "already closed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"port_name": "Antwerp", "timezone": "Europe/Atlantis"}, "timezone"),
        ({"port_name": "Antwerp", "unlocode": "BE-AN"}, "unlocode"),
        ({"port_name": ""}, "port_name"),
        ({"port_name": "Antwerp", "port_security_level": "high"}, "port_security_level"),
    ],
)
def test_a_bad_port_call_is_refused_and_nothing_is_opened(app, auth, hx, fields, field):
    AuthActions(app, hx).login("sso")
    hx.post("/sso/port-calls/1/close")
    response = hx.post("/sso/port-calls/", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="port-calls-list"')
    assert f'data-field="{field}"' in html
    assert "HX-Request" in response.headers["Vary"]
    with app.app_context():
        assert len(db.session.scalars(select(PortCall)).all()) == 1


def test_the_master_reads_port_calls_without_the_forms(auth, client):
    auth.login("master")
    html = client.get("/sso/port-calls/").get_data(as_text=True)
    assert "Rotterdam" in html
    assert "Open port call" not in html
    assert "Close (departed)" not in html


def test_the_api_opens_and_closes_port_calls(auth, client):
    auth.login("sso")
    refused = client.post("/api/v1/port-calls", json={"port_name": "Antwerp"})
    assert refused.status_code == 400
    assert refused.get_json()["field"] == "port_name"
    closed = client.post("/api/v1/port-calls/1/close", json={"departed_at": "2099-01-01T00:00"})
    assert closed.status_code == 200
    assert closed.get_json()["is_open"] is False
    opened = client.post(
        "/api/v1/port-calls",
        json={"port_name": "Antwerp", "timezone": "Europe/Brussels", "port_security_level": 1},
    )
    assert opened.status_code == 201
    body = opened.get_json()
    assert (body["port_name"], body["timezone"], body["is_open"]) == (
        "Antwerp",
        "Europe/Brussels",
        True,
    )
    bad = client.post("/api/v1/port-calls", json={"port_name": 5})
    assert bad.status_code == 400


def test_the_api_lists_only_the_pfsos_own_port_calls(log, auth, client):
    auth.login("pfso")
    calls = client.get("/api/v1/port-calls").get_json()["port_calls"]
    assert [c["port_name"] for c in calls] == ["Rotterdam"]
    auth.logout()
    auth.login("sso")
    calls = client.get("/api/v1/port-calls").get_json()["port_calls"]
    assert {c["port_name"] for c in calls} == {"Rotterdam", "Hamburg"}


# The PFSO's access log


def test_the_pfso_lands_on_the_log_of_their_facility(log, auth, client):
    response = auth.login("pfso")
    assert response.headers["Location"].endswith("/pfso/log")
    assert client.get("/pfso/").headers["Location"].endswith("/pfso/log")
    html = client.get("/pfso/log").get_data(as_text=True)
    assert "Rotterdam" in html
    assert "Hamburg" not in html  # not even in the port call picker
    assert "HANSEN, Erik" in html
    assert "JONES" not in html
    assert 'method="post"' not in html.replace(
        'method="post" action="/logout"', ""
    )  # read only: the logout form is the only POST


def test_the_pfso_may_not_read_another_facilitys_port_call(log, auth, client):
    auth.login("pfso")
    assert client.get(f"/pfso/log?port_call={log['hamburg']}").status_code == 403
    assert client.get(f"/pfso/log.csv?port_call={log['hamburg']}").status_code == 403
    assert client.get(f"/api/v1/movements?port_call={log['hamburg']}").status_code == 403
    assert client.get("/pfso/log?port_call=999").status_code == 404


@pytest.mark.parametrize("raw", ["²", "9" * 30, "9" * 5000])
def test_a_port_call_id_that_is_no_record_id_is_not_found(log, auth, client, raw):
    auth.login("pfso")
    for url in ("/pfso/log", "/pfso/log.csv", "/api/v1/movements"):
        assert client.get(url, query_string={"port_call": raw}).status_code == 404


def test_a_pfso_without_a_facility_sees_no_port_call(log, app, auth, client, make_user):
    make_user("pfso", username="nofacility")
    client.post("/login", data={"username": "nofacility", "password": "correct horse battery"})
    html = client.get("/pfso/log").get_data(as_text=True)
    assert 'data-testid="no-port-call"' in html
    assert client.get(f"/pfso/log?port_call={log['rotterdam']}").status_code == 403
    assert client.get("/api/v1/movements").get_json()["rows"] == []


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["SMITH, Jo", "=SUM(A1), Eve", "HANSEN, Erik", "HANSEN, Erik"]),
        ("direction=depart", ["HANSEN, Erik"]),
        ("direction=board&outcome=allowed", ["=SUM(A1), Eve", "HANSEN, Erik"]),
        ("outcome=refused", ["SMITH, Jo"]),
        ("kind=visitor", ["=SUM(A1), Eve"]),
        ("kind=contractor&outcome=allowed", []),
        ("q=fixit", ["SMITH, Jo"]),
        ("q=hans", ["HANSEN, Erik", "HANSEN, Erik"]),
        ("q=%25", []),
        ("purpose=stores", ["=SUM(A1), Eve"]),
        ("point=AFT-LADDER", ["HANSEN, Erik"]),
        ("sort=time", ["HANSEN, Erik", "HANSEN, Erik", "=SUM(A1), Eve", "SMITH, Jo"]),
        ("sort=name&direction=board", ["=SUM(A1), Eve", "HANSEN, Erik", "SMITH, Jo"]),
        ("sort=-name&direction=board", ["SMITH, Jo", "HANSEN, Erik", "=SUM(A1), Eve"]),
    ],
)
def test_the_log_filters_and_sorts(log, auth, client, query, names):
    auth.login("sso")
    assert _names(client.get(f"/api/v1/movements?port_call={log['rotterdam']}&{query}")) == names


def test_the_log_filters_by_time_range_in_utc(log, auth, client):
    auth.login("sso")
    start = (NOW - timedelta(hours=9, minutes=30)).replace(tzinfo=None).isoformat()
    end = (NOW - timedelta(hours=7, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S%z")
    response = client.get(f"/api/v1/movements?from={start}&to={end.replace('+', '%2B')}")
    assert _names(response) == ["=SUM(A1), Eve", "HANSEN, Erik"]


def test_bad_filters_are_answered_with_every_problem(log, auth, client, hx, app):
    auth.login("pfso")
    response = client.get("/api/v1/movements?direction=up&page=0")
    assert response.status_code == 400
    problems = response.get_json()["problems"]
    assert [p["field"] for p in problems] == ["direction", "page"]
    page = client.get("/pfso/log?kind=pirate")
    assert page.status_code == 400
    assert 'data-field="kind"' in page.get_data(as_text=True)
    assert client.get("/pfso/log.csv?sort=sideways").status_code == 400


def test_the_log_fragment_is_served_to_htmx(log, app, hx):
    AuthActions(app, hx).login("pfso")
    response = hx.get("/pfso/log?direction=depart")
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="pfso-log"')
    assert "HX-Request" in response.headers["Vary"]
    assert html.count('data-direction="depart"') == 1
    assert 'data-direction="board"' not in html


def test_the_log_shows_utc_and_the_ports_local_time(log, auth, client, app):
    auth.login("pfso")
    row = client.get("/api/v1/movements?outcome=refused").get_json()["rows"][0]
    assert row["record_id"].startswith("r-")
    assert row["reason"] == "Badge expired"
    assert row["time_zone"] == "Europe/Amsterdam"
    assert row["occurred_at"].endswith("+00:00")
    assert row["local_at"][-6:] in ("+01:00", "+02:00")


def test_the_log_pages_fifty_rows_at_a_time(log, app, auth, client):
    with app.app_context():
        person = _person("crew", "MANY", "Rows")
        db.session.flush()
        db.session.add_all(
            Movement(
                person_id=person.id,
                direction="board",
                occurred_at=NOW - timedelta(minutes=i),
                access_point_id=1,
                port_call_id=log["rotterdam"],
                method="scan",
                recorded_by_id=1,
            )
            for i in range(60)
        )
        db.session.commit()
    auth.login("pfso")
    first = client.get("/api/v1/movements").get_json()
    assert (first["total"], first["page"], first["pages"], len(first["rows"])) == (64, 1, 2, 50)
    second = client.get("/api/v1/movements?page=2").get_json()
    assert len(second["rows"]) == 14
    assert {r["record_id"] for r in first["rows"]}.isdisjoint(
        r["record_id"] for r in second["rows"]
    )
    html = client.get("/pfso/log?page=2&direction=board").get_data(as_text=True)
    assert 'rel="prev"' in html
    assert "page=1" in html
    assert "direction=board" in html
    assert client.get("/api/v1/movements?page=9").get_json()["rows"] == []


def test_document_numbers_are_masked_for_the_pfso(log, auth, client):
    auth.login("pfso")
    rows = client.get("/api/v1/movements?kind=crew").get_json()["rows"]
    assert {r["document_number"] for r in rows} == {"••••4567"}
    html = client.get("/pfso/log").get_data(as_text=True)
    assert "••••4567" in html
    assert "P1234567" not in html


def test_document_numbers_are_shown_in_full_to_the_sso(log, auth, client):
    auth.login("sso")
    rows = client.get("/api/v1/movements?kind=crew").get_json()["rows"]
    assert {r["document_number"] for r in rows} == {"P1234567"}


def test_document_numbers_are_shown_to_the_pfso_when_the_call_shares_them(log, app, auth, client):
    with app.app_context():
        db.session.get(PortCall, log["rotterdam"]).share_documents = True
        db.session.commit()
    auth.login("pfso")
    rows = client.get("/api/v1/movements?kind=crew").get_json()["rows"]
    assert {r["document_number"] for r in rows} == {"P1234567"}


def test_the_csv_export_holds_every_filtered_row_neutralised(log, auth, client):
    auth.login("pfso")
    response = client.get("/pfso/log.csv?direction=board&sort=time")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["name"] for r in rows] == ["HANSEN, Erik", "'=SUM(A1), Eve", "SMITH, Jo"]
    assert [r["outcome"] for r in rows] == ["allowed", "allowed", "refused"]
    assert rows[0]["document_number"] == "••••4567"
    assert rows[1]["escort"] == "HANSEN, Erik"
    assert rows[0]["time_zone"] == "Europe/Amsterdam"


def test_the_pfso_has_no_write_route(log, auth, client):
    auth.login("pfso")
    assert client.post("/pfso/log").status_code == 405
    assert client.post("/sso/port-calls/", data={"port_name": "X"}).status_code == 403
    assert client.post("/api/v1/port-calls", json={"port_name": "X"}).status_code == 403
    assert client.post(f"/api/v1/port-calls/{log['rotterdam']}/close").status_code == 403
