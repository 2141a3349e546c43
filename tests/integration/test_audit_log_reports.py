"""Stored report copies are on the record, and the chain head is shown where people keep it.

A copy swapped beside the app (its HTML edited and its recorded SHA-256 updated to match) is
not served and is named by `gangway verify-log`; the head shown on the SSO's page, in every
report and in the report e-mail is what `gangway verify-log --anchor` takes back.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from gangway.db.models import AuditEntry, Person
from gangway.extensions import db
from gangway.services.audit.presence import _replayed as presence_replayed
from gangway.services.reports.snapshots import SWAPPED
from tests.integration.test_audit_log import problems, sql, verify
from tests.integration.test_report_snapshots import PAGE, moves, snapshot

__all__ = ["moves"]  # the fixture
from tests.support.smtp import smtp_server
from tests.support.tools import require_tool

HEAD = re.compile(r"#(\d+) ([0-9a-f]{8})…([0-9a-f]{8})")


@pytest.fixture
def crossed(app, moves):
    """The report's movements, with who is aboard as they leave it (the fixture writes no
    presence: the app's scans do)."""
    with app.app_context():
        conn = db.session.connection()
        for person_id, aboard in list(presence_replayed(conn)):
            person = db.session.get(Person, person_id)
            person.aboard_movement_id = aboard
        db.session.commit()
        aboard = db.session.scalars(select(Person.id).where(Person.aboard_movement_id.is_not(None)))
        return [str(i) for i in aboard]


def close(client, crossed) -> None:
    """Close the call, confirming the visitors still aboard as the SSO would."""
    response = client.post("/sso/port-calls/1/close", data={"departed_at": "", "aboard": crossed})
    assert response.status_code == 302, response.get_data(True)


def stored_html(app) -> Path:
    record = snapshot(app)
    folder = Path(app.instance_path) / "reports" / "port-call-1" / f"snapshot-{record.id}"
    return folder / "port-call-1-report.html"


def head_hash(app, seq: int) -> str:
    with app.app_context():
        return db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == seq))


def test_a_swapped_stored_copy_is_refused_and_named(app, auth, client, runner, crossed):
    auth.login("sso")
    close(client, crossed)
    record = snapshot(app)
    verify(runner, ok=True)
    path = stored_html(app)
    swapped = path.read_bytes().replace(b"Rotterdam", b"Elsewhere")
    path.write_bytes(swapped)
    sql(app, "UPDATE report_snapshot SET html_sha256 = :h WHERE id = :i",
        h=hashlib.sha256(swapped).hexdigest(), i=record.id)  # fmt: skip
    response = client.get(PAGE + "/stored/html")
    assert response.status_code == 409
    assert b"Elsewhere" not in response.data
    assert "its recorded hashes were changed after it was stored" in response.get_data(True)
    api = client.get("/api/v1/port-calls/1/report-snapshot/html")
    assert (api.status_code, api.get_json()["message"]) == (409, SWAPPED)
    found = problems(verify(runner))
    assert [code for code, _ in found] == ["row_altered"]
    assert found[0][1].startswith(f"report_snapshot {record.id} was changed after chain entry #")
    assert found[0][1].endswith("(report.stored)")
    assert client.get(PAGE + "/stored/pdf").status_code == 409  # the whole copy is suspect


def test_the_stored_copy_and_the_live_report_show_the_chain_head(
    app, auth, client, runner, crossed
):
    auth.login("sso")
    close(client, crossed)
    stored = client.get(PAGE + "/stored/html").get_data(True)
    seq, head, tail = HEAD.search(stored).groups()
    full = head_hash(app, int(seq))
    assert (full[:8], full[-8:]) == (head, tail)
    assert full in stored
    live = client.get(PAGE).get_data(True)
    assert HEAD.search(live) is not None
    verify(runner, "--anchor", f"#{seq} {head}…{tail}", ok=True)  # as the copy shows it
    verify(runner, "--anchor", f"#{seq} sha256:{full}", ok=True)
    sql(app, "DELETE FROM audit_entry WHERE seq >= :s", s=int(seq))  # the tail cut off
    assert ("anchor_mismatch", f"anchored entry #{seq} is gone") in problems(
        verify(runner, "--anchor", f"#{seq} {head}…{tail}")
    )


def test_the_pdf_shows_the_chain_head_on_every_page(app, auth, client, crossed):
    require_tool("pdftotext")
    auth.login("sso")
    close(client, crossed)
    pdf = client.get(PAGE + "/stored/pdf").data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    pages = text.split("\f")[:-1]
    assert all("Audit chain head #" in page for page in pages)
    seq, head, tail = HEAD.search(text).groups()
    assert head_hash(app, int(seq)).startswith(head)


def test_the_report_mail_carries_the_chain_head(app, auth, client, crossed):
    auth.login("sso")
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_CSO="cso@company.example")
        close(client, crossed)
        assert inbox.arrived.wait(5)
    body = inbox.messages[0].get_body(("plain",)).get_content()
    seq, head, tail = HEAD.search(body).groups()
    full = head_hash(app, int(seq))
    assert f"Audit chain head (SHA-256): {full}" in body


def test_the_sso_page_shows_the_chain_head(app, auth, client, runner, crossed):
    auth.login("sso")
    page = client.get("/sso/onboard").get_data(True)
    seq, head, tail = HEAD.search(page).groups()
    assert head_hash(app, int(seq)) in page
    verify(runner, "--anchor", f"#{seq} {head}…{tail}", ok=True)
