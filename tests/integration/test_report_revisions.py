"""Records that reach a closed call later get the stored report revised; earlier copies stay."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from gangway.background import snapshot_job
from gangway.db.models import Movement, PortCall, ReportSnapshot
from gangway.extensions import db
from gangway.services.reports.port_call_report import build_report
from gangway.services.reports.snapshots import request_revision, request_snapshot
from gangway.services.scan import after_scan
from gangway.services.ship.port_calls import close_port_call
from tests.integration import test_offline_api as offline
from tests.integration.test_offline_api import late, scan
from tests.support.smtp import smtp_server

headers = offline.headers  # the watch tablet's bearer token
PAGE = "/reports/port-calls/1"


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def close_call_1(app) -> None:
    """Close call 1 twenty minutes ago and store its report, as the close page does."""
    with app.app_context():
        close_port_call(
            db.session,
            1,
            departed_at=minutes_ago(20),
            now=minutes_ago(20),
        )


def add_movement(app, person_id: int, watch_id: int) -> None:
    """Record a boarding in call 1 forty minutes ago, as a late scan would (the ORM: chained)."""
    with app.app_context():
        db.session.add(
            Movement(person_id=person_id, direction="board", occurred_at=minutes_ago(40),
                     access_point_id=1, port_call_id=1, method="manual", recorded_by_id=watch_id)
        )  # fmt: skip
        db.session.commit()


def snapshots(app) -> list[ReportSnapshot]:
    with app.app_context():
        return db.session.scalars(select(ReportSnapshot).order_by(ReportSnapshot.id)).all()


def stored_pdf(app, snapshot: ReportSnapshot) -> Path:
    folder = Path(app.instance_path) / "reports" / "port-call-1" / f"snapshot-{snapshot.id}"
    return folder / "port-call-1-report.pdf"


def test_an_offline_tablets_scans_after_the_close_revise_the_stored_report_and_mail_it(
    app, auth, client, headers, make_badge
):
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_CSO="cso@company.example")
        close_call_1(app)
        assert inbox.arrived.wait(5)
        (first,) = snapshots(app)
        first_pdf = stored_pdf(app, first).read_bytes()
        inbox.arrived.clear()
        response = late(client, headers, make_badge(), minutes=30)  # made alongside, sent now
        assert response.status_code == 201
        assert inbox.arrived.wait(5)
    first_again, revised = snapshots(app)
    assert (first_again.status, revised.status) == ("ready", "ready")
    with app.app_context():
        assert db.session.scalars(select(Movement.port_call_id)).all() == [1]
        assert revised.content_hash == build_report(db.session, 1).content_hash
    assert revised.content_hash != first.content_hash
    # The copy mailed at close is kept as it was, beside the revision.
    assert stored_pdf(app, first).read_bytes() == first_pdf
    assert hashlib.sha256(first_pdf).hexdigest() == first.pdf_sha256
    assert hashlib.sha256(stored_pdf(app, revised).read_bytes()).hexdigest() == revised.pdf_sha256
    html = stored_pdf(app, revised).with_name("port-call-1-report.html").read_text()
    assert f"This copy replaces the one generated at {first.generated_at:%Y-%m-%d %H:%M}" in html
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects[0].startswith("Port call report:")
    assert subjects[1].startswith("Revised port call report:")
    assert "replaces the report generated" in inbox.messages[1].get_body().get_content()
    assert first.content_hash in inbox.messages[1].get_body().get_content()
    auth.login("sso")
    page = client.get(PAGE).get_data(as_text=True)
    assert f"Revised report generated {revised.generated_at:%Y-%m-%d %H:%M} UTC" in page
    assert "changed after this copy was stored" not in page
    download = client.get(PAGE + "/stored/pdf")
    assert hashlib.sha256(download.data).hexdigest() == revised.pdf_sha256
    info = client.get("/api/v1/port-calls/1/report-snapshot").get_json()
    assert (info["revised"], info["content_hash"]) == (True, revised.content_hash)


def test_a_late_scan_in_a_call_still_open_asks_but_gets_no_revision(
    app, client, headers, make_badge, monkeypatch
):
    asked = []
    hook = after_scan.revise_stored_report
    monkeypatch.setattr(
        after_scan, "revise_stored_report", lambda s, c: (asked.append(c), hook(s, c))
    )
    assert late(client, headers, make_badge(), minutes=2).status_code == 201
    assert scan(client, headers, make_badge()).status_code == 201  # live: does not ask
    assert asked == [1]
    assert snapshots(app) == []  # the open call's report is stored when it closes


def test_the_sso_stores_a_revision_by_hand_when_the_stored_copy_differs(
    app, auth, client, make_person, make_user
):
    close_call_1(app)
    # A record the revision hook did not see (written another way).
    add_movement(app, make_person(), make_user("watch", "revision-watch").id)
    auth.login("sso")
    page = client.get(PAGE).get_data(as_text=True)
    assert "changed after this copy was stored" in page
    assert "Store a revised report" in page
    response = client.post(PAGE + "/stored/revise", follow_redirects=True)
    assert "A revised report is being generated and stored." in response.get_data(as_text=True)
    first, revised = snapshots(app)
    assert revised.status == "ready"
    page = client.get(PAGE).get_data(as_text=True)
    assert "changed after this copy was stored" not in page
    api = client.post("/api/v1/port-calls/1/report-revisions")
    assert (api.status_code, api.get_json()["outcome"]) == (202, "queued")
    assert len(snapshots(app)) == 3


def test_an_open_call_has_nothing_to_revise(app, auth, client):
    auth.login("sso")
    response = client.post("/api/v1/port-calls/1/report-revisions")
    assert (response.status_code, response.get_json()["error"]) == (409, "open")
    assert snapshots(app) == []


def test_a_snapshot_waiting_unclaimed_covers_later_records_a_claimed_one_does_not(app):
    close_call_1(app)
    with app.app_context():
        now = datetime.now(UTC)
        waiting = request_revision(db.session, 1, now=now)
        db.session.commit()
        assert waiting is not None
        assert request_revision(db.session, 1, now=now) is None  # it will read them
        waiting.status = "building"  # claimed: it may have read the records already
        db.session.commit()
        assert request_revision(db.session, 1, now=now) is not None
        db.session.rollback()
        assert db.session.get(PortCall, 1).departed_at is not None


def test_a_copy_stored_before_revisions_existed_is_still_served(app, auth, client):
    """Such a copy lies in the call's folder itself, not in a snapshot folder of its own."""
    close_call_1(app)
    (first,) = snapshots(app)
    own = stored_pdf(app, first).parent
    for path in own.iterdir():
        path.rename(own.parent / path.name)
    own.rmdir()
    auth.login("sso")
    download = client.get(PAGE + "/stored/pdf")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == first.pdf_sha256


def test_of_revisions_queued_one_behind_another_only_the_last_is_mailed(
    app, make_person, make_user
):
    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_CSO="cso@company.example")
        close_call_1(app)
        add_movement(app, make_person(), make_user("watch", "burst-watch").id)  # a late record
        with app.app_context():  # a burst of late records: one revision building, one waiting
            now = datetime.now(UTC)
            ids = [request_snapshot(db.session, 1, now=now) for _ in range(3)]
            db.session.commit()
            ids = [s.id for s in ids]
        for snapshot_id in ids:
            snapshot_job.run_job(app, snapshot_id)  # as the worker does, one after the other
        with app.app_context():  # asked for again with nothing new: stored, not mailed
            again = request_snapshot(db.session, 1, now=datetime.now(UTC))
            db.session.commit()
            again = again.id
        snapshot_job.run_job(app, again)
    subjects = [m["Subject"].split(":")[0] for m in inbox.messages]
    assert subjects == ["Port call report", "Revised port call report"]
    assert [s.status for s in snapshots(app)] == ["ready"] * 5
    # The first two revisions were superseded by the next while built; the third is mailed.
    assert [bool(s.mailed_to) for s in snapshots(app)] == [True, False, False, True, False]
