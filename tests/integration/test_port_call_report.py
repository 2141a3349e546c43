"""The end-of-port-call report: page, PDF, CSV zip, sign-off, mail and who may read it."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from gangway.db.models import (
    Movement,
    Person,
    PortCall,
    Refusal,
    RefusalFollowUp,
    ReportSignOff,
    User,
)
from gangway.extensions import db
from tests.conftest import NOW
from tests.integration.port_call_builders import add_declaration, add_level_change, add_refusal
from tests.support.smtp import smtp_server
from tests.support.tools import require_tool

URL = "/reports/port-calls/1"


@pytest.fixture
def call(app, make_user):
    """Port call 1 with 5 boardings (1 searched, 1 escorted), 2 departures and 2 refusals."""
    watch = make_user("watch", "report-watch")
    with app.app_context():
        call = db.session.get(PortCall, 1)
        call.facility_name, call.pfso_name = "Euromax", "P. Facility"
        call.pfso_contact = "pfso@port.example"
        crew = Person(kind="crew", family_name="HANSEN", given_names="Erik")
        visitor = Person(kind="visitor", family_name="=HYPERLINK(1)", given_names="Eve")
        agent = Person(kind="visitor", family_name="AGENT", given_names="Ann")
        db.session.add_all([crew, visitor, agent])
        db.session.flush()
        start = NOW - timedelta(hours=20)
        rows = [(crew, "board", None, False, None), (visitor, "board", "Stores", True, crew.id),
                (agent, "board", "Ship's agent", False, None), (visitor, "depart", None, False,
                None), (visitor, "board", "Stores", False, None), (crew, "depart", None, False,
                None), (crew, "board", None, False, None)]  # fmt: skip
        for i, (person, direction, purpose, searched, escort) in enumerate(rows):
            db.session.add(Movement(
                person_id=person.id, direction=direction, occurred_at=start + timedelta(hours=i),
                access_point_id=1, port_call_id=1, purpose=purpose, method="scan",
                searched=searched, escort_id=escort, recorded_by_id=watch.id))  # fmt: skip
        ids = {"call_id": 1, "user_id": watch.id, "at": start}
        for code in ("expired", "search_declined"):
            add_refusal(db.session, **ids, point_id=1, code=code)
        add_level_change(db.session, **ids, reason="Threat", ordered_by="flag_state")
        add_declaration(
            db.session,
            **ids,
            valid_until=NOW,
            ship_party_name="Sam SSO",
            port_party_name="P. Facility",
            measures="Escorts",
        )
        db.session.commit()  # fmt: skip
    return 1


def cell(html: str, label: str) -> str:
    """Return the cell after a label in the report's tables."""
    return html.split(f"<td>{label}</td><td>", 1)[1].split("<", 1)[0]


def test_page_shows_the_counts(auth, client, call):
    auth.login("sso")
    html = client.get(URL).get_data(as_text=True)
    assert "MV Test Ship" in html
    assert "Rotterdam (NLRTM)" in html
    assert cell(html, "crew") == "2"
    assert cell(html, "visitor") == "3"
    assert cell(html, "Refusals") == "2"
    assert cell(html, "Searches done") == "1"
    assert cell(html, "Searches declined (refused)") == "1"
    assert cell(html, "Escorted movements") == "1"
    assert cell(html, "Maximum persons on board") == "3"
    assert cell(html, "Stores") == "1"
    assert "Movement log (7 movements)" in html
    assert "<svg" in html
    assert "style=" not in html
    assert "Not signed off yet." in html


def test_pdf_holds_the_counts_and_names(auth, client, call, tmp_path):
    require_tool("pdftotext")
    auth.login("master")
    response = client.get(URL + ".pdf")
    assert response.mimetype == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "MV Test Ship" in text
    assert "Rotterdam" in text
    assert "Movement log (7 movements)" in text
    assert "Maximum persons on board" in text
    assert "Page 1" in text
    assert "HANSEN, Erik" in text


def test_csv_zip_has_five_files_and_neutralises_formulas(app, auth, client, call):
    with app.app_context():
        refusal = db.session.scalars(select(Refusal).order_by(Refusal.id)).first()
        db.session.add(RefusalFollowUp(
            refusal_id=refusal.id, acknowledged_at=NOW, acknowledged_by_id=refusal.recorded_by_id,
            description="=cmd|' /C calc'!A0", response="Sent ashore",
            reported_to_pfso_at=NOW))  # fmt: skip
        db.session.commit()
        refusal_id = refusal.id
    auth.login("sso")
    archive = zipfile.ZipFile(io.BytesIO(client.get(URL + ".csv.zip").data))
    assert sorted(archive.namelist()) == sorted(
        ["movements.csv", "refusals.csv", "follow_ups.csv", "level_changes.csv",
         "declarations.csv"]
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(archive.read("movements.csv").decode())))
    assert len(rows) == 7
    assert "'=HYPERLINK(1), Eve" in {r["person"] for r in rows}
    assert len(list(csv.reader(io.StringIO(archive.read("refusals.csv").decode())))) == 3
    [follow_up] = csv.DictReader(io.StringIO(archive.read("follow_ups.csv").decode()))
    assert follow_up["refusal_id"] == str(refusal_id)
    assert follow_up["description"] == "'=cmd|' /C calc'!A0"
    assert follow_up["response"] == "Sent ashore"
    assert follow_up["reported_to_pfso_at"] == NOW.isoformat()
    assert follow_up["reported_to_cso_at"] == ""


def test_sign_off_records_the_hash_and_a_later_change_shows(app, auth, client, call):
    auth.login("sso")
    response = client.post(URL + "/sign-off")
    assert response.status_code == 302
    html = client.get(URL).get_data(as_text=True)
    assert "Signed off by Test sso at" in html
    with app.app_context():
        signed_hash = db.session.scalars(select(ReportSignOff.content_hash)).one()
        assert signed_hash in html
        db.session.execute(update(Movement).where(Movement.id == 1).values(purpose="edited"))
        db.session.commit()
    html = client.get(URL).get_data(as_text=True)
    assert "Records changed after sign-off" in html
    assert f"differs from {signed_hash}" in html


def test_report_is_mailed_to_the_cso_and_pfso(app, auth, client, call):
    auth.login("sso")
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_CSO="cso@company.example")
        response = client.post(URL + "/email", follow_redirects=True)
        assert "Report mailed to cso@company.example, pfso@port.example" in response.get_data(
            as_text=True
        )
        assert inbox.arrived.wait(5)
    message = inbox.messages[0]
    assert sorted(inbox.envelopes[0].rcpt_tos) == ["cso@company.example", "pfso@port.example"]
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_without_a_mail_server_nothing_is_sent(auth, client, call):
    auth.login("sso")
    response = client.post(URL + "/email", follow_redirects=True)
    assert "MAIL_SERVER is not set" in response.get_data(as_text=True)


def test_the_watch_may_not_read_the_report(auth, client, call):
    auth.login("watch")
    assert client.get(URL).status_code == 403
    assert client.get("/api/v1/port-calls/1/report.pdf").status_code == 403


@pytest.mark.parametrize(
    ("unlocode", "facility", "status"),
    [
        ("NLRTM", "Euromax", 200),
        (None, " euromax ", 200),
        ("NLRTM", None, 403),  # a LOCODE alone would be every facility in the port
        ("NLRTM", "Other", 403),
        ("DEHAM", "Euromax", 403),
    ],
)
def test_a_pfso_reads_only_their_facilitys_calls(app, auth, client, call, unlocode, facility,
                                                  status):  # fmt: skip
    auth.login("pfso")
    with app.app_context():
        db.session.execute(update(User).where(User.username == "pfso").values(
            facility_unlocode=unlocode, facility_name=facility))  # fmt: skip
        db.session.commit()
    assert client.get(URL).status_code == status
    assert client.get("/api/v1/port-calls/1/report.csv.zip").status_code == status


def test_unknown_call_is_404(auth, client):
    auth.login("sso")
    assert client.get("/reports/port-calls/99").status_code == 404
    assert client.get("/api/v1/port-calls/99/report.html").status_code == 404


def test_the_html_log_has_the_same_cells_as_the_pdf_log_escaped():
    from markupsafe import escape

    from gangway.domain.reporting.port_call_report import MovementRow
    from gangway.render.reports.html import log_rows
    from gangway.render.reports.text import log_cells

    rows = [
        MovementRow(1, NOW, "board", "visitor", 7, "<b>&", True, False, "scan", "A \"B\" 'C'",
                    "GW"),
        MovementRow(2, NOW.replace(microsecond=5), "depart", "crew", 8, None, False, True, "manual",
                    "ZOË, Z", "Aft"),
    ]  # fmt: skip
    expected = "\n".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in log_cells(r)) + "</tr>" for r in rows
    )
    assert str(log_rows(rows)) == expected
