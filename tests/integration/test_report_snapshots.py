"""The report stored when a port call is closed: files, hashes, links, roles, mail, failure."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import re
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from gangway.background import snapshot_job
from gangway.db.models import Movement, Person, PortCall, ReportSnapshot, User
from gangway.extensions import db
from gangway.services.reports.snapshots import snapshot_state
from tests.conftest import NOW
from tests.support.smtp import smtp_server
from tests.support.tools import require_tool

PAGE = "/reports/port-calls/1"
NAMES = ['O\'Brien, "Ted"', "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "Zoë\nNewline"]


@pytest.fixture
def moves(app, make_user):
    """Port call 1 at facility Euromax: 5 boardings and 1 departure of 4 awkwardly named persons."""
    watch = make_user("watch", "snapshot-watch")
    with app.app_context():
        call = db.session.get(PortCall, 1)
        call.facility_name, call.pfso_contact = "Euromax", "pfso@port.example"
        people = [Person(kind="visitor", family_name=n, given_names="X") for n in NAMES]
        db.session.add_all(people)
        db.session.flush()
        start = NOW - timedelta(hours=10)
        for i, person in enumerate([*people, people[0], people[1]]):
            db.session.add(Movement(
                person_id=person.id, direction="depart" if i == 4 else "board",
                occurred_at=start + timedelta(minutes=i, microseconds=123456 * (i == 2)),
                access_point_id=1, port_call_id=1, purpose='Stores, "urgent"', method="scan",
                searched=i == 1, recorded_by_id=watch.id))  # fmt: skip
        db.session.commit()
    return 6


def close(client, *, api: bool = False):
    if api:
        return client.post("/api/v1/port-calls/1/close", json={})
    return client.post("/sso/port-calls/1/close", data={"departed_at": ""})


def snapshot(app) -> ReportSnapshot:
    with app.app_context():
        return db.session.scalars(select(ReportSnapshot)).one()


def test_closing_a_call_stores_the_three_forms_in_the_background(app, auth, client, moves):
    require_tool("pdftotext")
    app.config["REPORT_JOBS"] = "thread"  # as in production: the close answers first
    auth.login("sso")
    assert close(client).status_code == 302
    assert snapshot_job.wait_until_idle(app, timeout=60)
    record = snapshot(app)
    assert record.status == "ready"
    assert record.generated_at is not None
    folder = Path(app.instance_path) / "reports" / "port-call-1" / f"snapshot-{record.id}"
    names = {"pdf": "report.pdf", "csv": "records.csv.zip", "html": "report.html"}
    files = {kind: folder / f"port-call-1-{name}" for kind, name in names.items()}
    for kind, path in files.items():
        assert getattr(record, f"{kind}_sha256") == hashlib.sha256(path.read_bytes()).hexdigest()
    pdf_text = subprocess.run(["pdftotext", "-layout", str(files["pdf"]), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"Movement log ({moves} movements)" in pdf_text
    assert re.search(r"visitor\s+5\s+1\n", pdf_text)  # boardings and departures
    assert re.search(r"Searches done\s+1\n", pdf_text)
    assert re.search(r"Maximum persons on board\s+4\n", pdf_text)
    assert f"Records hash (SHA-256): {record.content_hash}" in pdf_text
    html = files["html"].read_text()
    assert f"Movement log ({moves} movements)" in html
    assert "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;, X" in html
    assert "<script>alert" not in html.lower()
    assert record.content_hash in html
    with zipfile.ZipFile(files["csv"]) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("movements.csv").decode())))
    assert len(rows) == moves


def test_the_page_links_the_stored_files_for_the_roles_that_read_the_report(
    app, auth, client, make_user, moves
):
    make_user("pfso")
    auth.login("sso")
    close(client)
    record = snapshot(app)
    page = client.get(PAGE).get_data(as_text=True)
    assert f"Report generated {record.generated_at:%Y-%m-%d %H:%M} UTC" in page
    for kind in ("pdf", "csv", "html"):
        assert f'href="{PAGE}/stored/{kind}"' in page
    listing = client.get("/sso/port-calls/").get_data(as_text=True)
    assert f"generated {record.generated_at:%Y-%m-%d %H:%M} UTC" in listing
    with app.app_context():
        db.session.execute(update(User).where(User.username == "pfso").values(
            facility_unlocode="NLRTM", facility_name="Euromax"))  # fmt: skip
        db.session.commit()
    for role, status in (("master", 200), ("pfso", 200), ("watch", 403), ("sso", 200)):
        auth.login(role)
        response = client.get(PAGE + "/stored/pdf")
        assert response.status_code == status, role
        if status == 200:
            assert hashlib.sha256(response.data).hexdigest() == record.pdf_sha256
            assert 'filename="port-call-1-report.pdf"' in response.headers["Content-Disposition"]
    with app.app_context():
        db.session.execute(update(User).where(User.username == "pfso").values(
            facility_name="Other"))  # fmt: skip
        db.session.commit()
    auth.login("pfso")
    assert client.get(PAGE + "/stored/html").status_code == 403
    assert client.get("/api/v1/port-calls/1/report-snapshot").status_code == 403


def test_the_api_close_stores_it_too_and_describes_the_files(app, auth, client, moves):
    auth.login("sso")
    assert close(client, api=True).status_code == 200
    info = client.get("/api/v1/port-calls/1/report-snapshot").get_json()
    assert info["state"] == "ready"
    assert [f["kind"] for f in info["files"]] == ["pdf", "csv", "html"]
    stored = client.get("/api/v1/port-calls/1/report-snapshot/csv")
    assert hashlib.sha256(stored.data).hexdigest() == info["files"][1]["sha256"]
    assert stored.mimetype == "application/zip"


def test_a_failed_generation_keeps_the_call_closed_and_says_so(app, auth, client, moves):
    (Path(app.instance_path) / "reports").write_text("not a folder")  # mkdir fails under it
    auth.login("sso")
    assert close(client).status_code == 302
    with app.app_context():
        assert db.session.get(PortCall, 1).departed_at is not None
    assert snapshot(app).status == "failed"
    page = client.get(PAGE).get_data(as_text=True)
    assert "could not be generated when the port call was closed" in page
    assert "It can be produced on demand" in page
    assert client.get(PAGE + "/stored/pdf").status_code == 404
    assert client.get(PAGE + ".pdf").data.startswith(b"%PDF")  # on demand still works
    assert "could not be generated" in client.get("/sso/port-calls/").get_data(as_text=True)


def test_a_stored_file_changed_on_disk_is_not_served(app, auth, client, moves):
    auth.login("sso")
    close(client)
    folder = Path(app.instance_path) / "reports" / "port-call-1" / f"snapshot-{snapshot(app).id}"
    path = folder / "port-call-1-report.html"
    path.write_text(path.read_text().replace("Rotterdam", "Elsewhere"))
    assert client.get(PAGE + "/stored/html").status_code == 409
    assert client.get("/api/v1/port-calls/1/report-snapshot/html").status_code == 409


def test_a_record_changed_after_the_close_shows_beside_the_stored_copy(app, auth, client, moves):
    auth.login("sso")
    close(client)
    assert "changed after this copy was stored" not in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Movement).where(Movement.id == 1).values(purpose="edited"))
        db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert (
        f"changed after this copy was stored: it holds hash <code>{snapshot(app).content_hash}"
        in page
    )


def test_the_stored_report_is_mailed_to_the_cso_and_pfso(app, auth, client, moves):
    auth.login("sso")
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_CSO="cso@company.example")
        close(client)
        assert inbox.arrived.wait(5)
    assert sorted(inbox.envelopes[0].rcpt_tos) == ["cso@company.example", "pfso@port.example"]
    attachment = next(inbox.messages[0].iter_attachments())
    assert hashlib.sha256(attachment.get_content()).hexdigest() == snapshot(app).pdf_sha256
    assert snapshot(app).mailed_to == "cso@company.example, pfso@port.example"


def test_a_job_pending_for_long_counts_as_failed():
    record = ReportSnapshot(status="pending", requested_at=NOW - timedelta(minutes=11))
    assert snapshot_state(record, NOW) == "failed"
    assert snapshot_state(record, NOW - timedelta(minutes=2)) == "pending"
    assert snapshot_state(None, NOW) == "none"
    building = ReportSnapshot(status="building", requested_at=NOW - timedelta(minutes=2))
    assert snapshot_state(building, NOW) == "pending"  # shown as being generated
    assert snapshot_state(building, NOW + timedelta(minutes=10)) == "failed"


def test_the_csv_cells_are_the_csv_writers_and_text_is_neutralised(app, auth, client, moves):
    auth.login("sso")
    data = zipfile.ZipFile(io.BytesIO(client.get(PAGE + ".csv.zip").data)).read("movements.csv")
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows(rows)
    assert data.decode() == expected.getvalue()  # the same bytes as the csv module writes
    people = {r[5] for r in rows[1:]}
    assert 'O\'BRIEN, "TED", X' in people
    assert "'=CMD|' /C CALC'!A0, X" in people  # a formula opens as text
    assert "ZOË\nNEWLINE, X" in people
    assert rows[3][1].endswith(".123456+00:00")
    assert rows[1][1] == (NOW - timedelta(hours=10)).isoformat()
    assert {r[6] for r in rows[1:]} == {'Stores, "urgent"'}


def test_the_movement_log_escapes_every_cell(auth, client, moves):
    auth.login("sso")
    html = client.get(PAGE).get_data(as_text=True)
    assert gc.isenabled()  # paused only while the rows were built
    assert "<script>alert" not in html.lower()
    assert "<td>&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;, X</td>" in html
    assert "<td>Stores, &#34;urgent&#34;</td>" in html
    assert f"<td>{(NOW - timedelta(hours=10)):%Y-%m-%d %H:%M:%S}</td>" in html
