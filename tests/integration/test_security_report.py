"""The Security Report's particulars, ship-to-ship activities and report: pages, API, the chain."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Declaration, PortCall, Ship, ShipParticulars, StsActivity
from gangway.extensions import db
from gangway.services.audit.verify import verify_log
from tests.conftest import NOW
from tests.support.tools import require_tool

PARTICULARS = {
    "imo_number": "9074729",
    "name": "Nordic Trader",
    "port_of_registry": "Monrovia",
    "flag_state": "Liberia",
    "ship_type": "General cargo",
    "call_sign": "A8AB1",
    "inmarsat_numbers": "463 700 100",
    "gross_tonnage": "24500",
    "company_name": "Nordic Shipping AS",
    "company_imo_number": "5432109",
    "cso_name": "Kari Nordmann",
    "cso_contact": "+47 400 00 000, cso@nordic.example",
    "certificate_kind": "issc",
    "certificate_issuer": "DNV for Liberia",
    "ssp_approved_on_board": "yes",
}
UTC = "%Y-%m-%dT%H:%M"
STS = {
    "other_ship_name": "Bunker Queen",
    "other_ship_imo": "9300001",
    "other_ship_flag": "Malta",
    "location": "Off Malta, 35.8N 14.6E",
    "started_at": (NOW - timedelta(hours=20)).strftime(UTC),  # at anchor during the call
    "ended_at": (NOW - timedelta(hours=16)).strftime(UTC),
    "level": "1",
    "measures": "Deck watch doubled; access by one ladder only.",
    "procedures_maintained": "yes",
}
QUERY = {"unlocode": "DEHAM", "facility": "Burchardkai", "eta": "2026-12-10T06:00",
         "purpose": "Cargo operations"}  # fmt: skip


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def items(report: dict) -> dict:
    return {i["number"]: i for s in report["sections"] for i in s["items"]}


def test_sso_saves_the_particulars_on_the_chain_and_bad_input_writes_nothing(app, client, auth):
    auth.login("sso")
    wrong = {**PARTICULARS, "imo_number": "9074728", "certificate_expires_on": "2027-03-01"}
    bad = client.post("/sso/particulars/", data=wrong)
    assert bad.status_code == 400
    assert "check digit" in bad.text
    assert count(app, ShipParticulars) == 0
    expires = (NOW + timedelta(days=12)).date().isoformat()
    ok = client.post("/sso/particulars/", data={**PARTICULARS, "certificate_expires_on": expires})
    assert ok.status_code == 302
    with app.app_context():
        kinds = db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.seq)).all()
        assert "ship_particulars.recorded" in kinds
        assert db.session.scalars(select(Ship.name)).first() == "Nordic Trader"
        assert verify_log(db.session).ok
    page = client.get("/sso/security-report/")
    assert "expires on " + expires in page.text  # the band, on every page of the SSO's


def test_a_refused_form_sent_by_htmx_comes_back_as_its_fragment_with_the_error(app, client, auth):
    auth.login("sso")
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    form = {**PARTICULARS, "gross_tonnage": "0", "certificate_expires_on": "2027-03-01"}
    sent = client.post("/sso/particulars/", data=form)
    assert sent.status_code == 200
    assert "<html" not in sent.text
    assert 'id="particulars-form"' in sent.text
    assert "Gross tonnage is a whole number above 0." in sent.text
    assert "HX-Request" in sent.headers["Vary"]
    sts = client.post("/sso/ship-to-ship/", data={**STS, "level": "4"})
    assert 'id="sts-activities"' in sts.text
    assert "Choose security level 1, 2 or 3." in sts.text
    assert count(app, ShipParticulars) + count(app, StsActivity) == 0


def test_the_band_shows_an_expired_certificate_to_the_master_and_not_to_the_watch(
    app, client, auth
):
    auth.login("sso")
    expired = (NOW - timedelta(days=1)).date().isoformat()
    client.post("/sso/particulars/", data={**PARTICULARS, "certificate_expires_on": expired})
    auth.logout()
    auth.login("master")
    page = client.get("/sso/particulars/")
    assert f"expired on {expired}" in page.text
    assert client.post("/sso/particulars/", data=PARTICULARS).status_code == 403
    auth.logout()
    auth.login("watch")
    assert "expired on" not in client.get("/watch/").text


def test_ship_to_ship_activity_is_chained_listed_and_in_the_report_api(app, client, auth):
    auth.login("sso")
    bad = client.post("/sso/ship-to-ship/", data={**STS, "ended_at": STS["started_at"][:-2] + "00",
                                                  "started_at": STS["ended_at"]})  # fmt: skip
    assert bad.status_code == 400
    assert "cannot end before it started" in bad.text
    assert count(app, StsActivity) == 0
    assert client.post("/sso/ship-to-ship/", data=STS).status_code == 302
    with app.app_context():
        kinds = db.session.scalars(select(AuditEntry.kind)).all()
        assert "sts_activity.recorded" in kinds
        assert verify_log(db.session).ok
    assert "Bunker Queen" in client.get("/sso/ship-to-ship/").text
    end_of_call = client.get("/reports/port-calls/1").text
    assert "Ship-to-ship activities" in end_of_call
    assert "Bunker Queen · 9300001 · Malta" in end_of_call
    with app.app_context():
        call = db.session.scalars(select(PortCall)).first()
        call.port_security_level = 1
        call.timezone = "Europe/Amsterdam"
        db.session.scalars(select(Ship)).first().security_level = 2
        db.session.add(
            Declaration(
                port_call_id=call.id,
                level=2,
                ship_party_name="SSO",
                ship_party_role="sso",
                port_party_name="PFSO",
                port_facility="Waalhaven",
                reason="Ship above port",
                measures="Escorts",
                valid_from=NOW,
                valid_until=NOW + timedelta(days=1),
                signed_at=NOW,
                recorded_by_id=1,
            )  # fmt: skip
        )
        db.session.commit()
    report = client.get("/api/v1/security-report", query_string=QUERY).get_json()
    got = items(report)
    assert [i["number"] for s in report["sections"] for i in s["items"]][:2] == ["1.1", "1.2"]
    assert got["2.1"]["value"] == {"unlocode": "DEHAM", "facility": "Burchardkai"}
    assert [(r["port"], r["unlocode"], r["date_to"]) for r in got["3.3"]["rows"]] == [
        ("Rotterdam", "NLRTM", None)
    ]
    assert got["3.3"]["rows"][0]["date_from_local"].endswith("+01:00")  # the port's clock too
    assert got["3.3.1"]["value"] is True
    assert [m["kind"] for m in got["3.3.2"]["rows"][0]["measures"]] == ["declaration"]
    assert [s["other_ship_name"] for s in got["3.4"]["rows"]] == ["Bunker Queen"]
    assert report["signed_by"]["role"] == "sso"
    assert report["chain_head"]["seq"] > 0


def test_the_report_refuses_a_derived_value_a_bad_port_and_the_watch(client, auth):
    auth.login("sso")
    forged = client.get("/api/v1/security-report", query_string={**QUERY, "imo_number": "1"})
    assert forged.status_code == 400
    assert "comes from the records" in forged.get_json()["message"]
    bad_port = client.get("/api/v1/security-report", query_string={**QUERY, "unlocode": "Hamb"})
    assert bad_port.status_code == 400
    page = client.get("/sso/security-report/", query_string={**QUERY, "eta": "tomorrow"})
    assert page.status_code == 400
    assert "2026-11-22T16:00" in page.text
    shown = client.get("/sso/security-report/", query_string={**QUERY, "other": "Stowaway drill"})
    assert "Stowaway drill" in shown.text
    assert "3.3.1" in shown.text
    auth.logout()
    auth.login("watch")
    assert client.get("/api/v1/security-report", query_string=QUERY).status_code == 403


def test_the_pdf_and_html_forms_say_what_the_json_says_signed_with_the_chain_head(
    app, client, auth
):
    require_tool("pdftotext")
    auth.login("sso")
    client.post("/sso/particulars/", data={**PARTICULARS, "certificate_expires_on": "2027-03-01"})
    client.post("/sso/ship-to-ship/", data=STS)
    report = client.get("/api/v1/security-report", query_string=QUERY).get_json()
    got = items(report)
    pdf = client.get("/sso/security-report/report.pdf", query_string=QUERY)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data,
                          capture_output=True, check=True).stdout.decode()  # fmt: skip
    flat = " ".join(text.split())
    for number in ("1.1", "1.8", "3.1.1", "3.2", "3.3", "3.3.1", "3.4", "3.5"):
        assert number in flat
    call = got["3.3"]["rows"][0]
    assert got["1.1"]["value"] in flat
    assert str(got["1.8"]["value"]) in flat
    assert "DNV for Liberia, expires on 2027-03-01" in flat
    assert f"{call['port']}, {call['country']}" in flat
    assert "Bunker" in flat
    assert "9300001" in flat  # the other ship's IMO number, in a narrow column
    assert f"Signed: Test sso (SSO), {report['made_at'][:10]}" in flat
    pages = text.split("\f")[:-1]
    assert all(f"Audit chain head {report['chain_head']['short']}" in p for p in pages)
    html = client.get("/sso/security-report/report.html", query_string=QUERY)
    assert html.headers["Content-Disposition"].startswith("attachment")
    assert "Nordic Trader" in html.text
    assert report["chain_head"]["short"] in html.text
    refused = client.get("/sso/security-report/report.pdf", query_string={"unlocode": "X"})
    assert refused.status_code == 400
