"""Long downloads through real worker processes: 202 until made, joining, kill -9, failure."""

from __future__ import annotations

import csv
import io
import os
import signal
from datetime import timedelta

import pytest

from gangway.db.models import Movement, Person, User
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token
from tests.conftest import NOW, build_app, dispose
from tests.support.job_workers import fetch, job_where, jobs, running_workers, wait_for

HTML = {"Accept": "text/html"}


@pytest.fixture
def app(tmp_path):
    hold = str(tmp_path / "hold")
    app = build_app(tmp_path, JOBS="process", REPORT_JOBS="process", JOBS_HOLD=hold)
    yield app
    dispose(app)


@pytest.fixture
def hold(app):
    """A file that keeps every job waiting mid-way while it exists (TESTING only)."""
    path = app.config["JOBS_HOLD"]
    open(path, "w").close()
    yield path
    if os.path.exists(path):
        os.remove(path)


def add_movements(app, n: int = 3) -> None:
    with app.app_context():
        watch = db.session.scalars(db.select(User)).first()
        person = Person(kind="crew", family_name="HANSEN", given_names="Erik")
        db.session.add(person)
        db.session.flush()
        for i in range(n):
            direction = "board" if i % 2 == 0 else "depart"
            db.session.add(
                Movement(
                    person_id=person.id,
                    direction=direction,
                    port_call_id=1,
                    occurred_at=NOW - timedelta(minutes=10 - i),
                    access_point_id=1,
                    method="scan",
                    recorded_by_id=watch.id,
                )  # fmt: skip
            )
        db.session.commit()


def test_a_report_is_202_with_progress_until_a_worker_makes_it(app, auth, client):
    auth.login("sso")
    with running_workers(app):
        first = client.get("/reports/port-calls/1.pdf", headers=HTML)
        assert first.status_code == 202
        assert first.headers["Retry-After"] == "1"
        assert "job=" in first.headers["Location"]
        page = first.get_data(as_text=True)
        assert "Preparing the report PDF" in page
        assert 'hx-trigger="every 1s"' in page
        done = fetch(client, first.headers["Location"])
    assert done.status_code == 200
    assert done.data.startswith(b"%PDF")
    assert done.headers["Content-Disposition"] == ('attachment; filename="port-call-1-report.pdf"')
    [job] = jobs(app)
    assert (job.status, job.attempts, job.active_key) == ("done", 1, None)


def test_htmx_polling_offers_the_file_instead_of_swapping_it_in(app, auth, client, hold):
    auth.login("sso")
    with running_workers(app):
        location = client.get("/reports/port-calls/1.csv.zip").headers["Location"]
        polled = client.get(location, headers={"HX-Request": "true"})
        assert polled.status_code == 202
        assert 'id="jobs-progress"' in polled.get_data(as_text=True)
        os.remove(hold)
        wait_for(job_where(app, status="done"), "the zip")
        ready = client.get(location, headers={"HX-Request": "true"})
    assert ready.status_code == 200
    assert "is ready" in ready.get_data(as_text=True)
    assert f'href="{location}"' in ready.get_data(as_text=True).replace("&amp;", "&")
    assert fetch(client, location).headers["Content-Type"] == "application/zip"


def test_asking_again_joins_the_job_already_queued(app, auth, client, make_user, hold):
    auth.login("sso")
    make_user("master")
    master = app.test_client()
    master.post("/login", data={"username": "master", "password": "correct horse battery"})
    with running_workers(app):
        mine = client.get("/reports/port-calls/1.pdf").headers["Location"]
        again = client.get("/reports/port-calls/1.pdf").headers["Location"]
        theirs = master.get("/reports/port-calls/1.pdf").headers["Location"]
        assert mine == again == theirs
        os.remove(hold)
        assert fetch(client, mine).status_code == 200
        assert fetch(master, theirs).data.startswith(b"%PDF")
    assert len(jobs(app)) == 1
    # Once made, a new request makes a new file: records may have changed since.
    assert client.get("/reports/port-calls/1.pdf").status_code == 202


def test_a_worker_killed_mid_job_is_restarted_and_the_job_retried_once(app, auth, client, hold):
    auth.login("sso")
    add_movements(app)
    with running_workers(app) as workers:
        location = client.get("/reports/port-calls/1.pdf").headers["Location"]
        first = wait_for(job_where(app, status="running"), "the job to start")
        os.kill(int(first.claimed_by.rsplit(":", 1)[1]), signal.SIGKILL)
        again = wait_for(job_where(app, status="running", attempts=2), "the job to be retried")
        assert again.claimed_by != first.claimed_by
        assert "Started again after an interruption" in client.get(location).get_data(True)
        os.remove(hold)
        done = fetch(client, location)
        assert workers.restarts == 1
    assert done.status_code == 200
    assert done.data.startswith(b"%PDF")
    [job] = jobs(app)
    assert (job.status, job.attempts) == ("done", 2)
    folder = os.path.join(app.instance_path, "jobs", str(job.id))
    assert os.listdir(folder) == ["port-call-1-report.pdf"]  # no temp file left, no second one


def test_a_job_that_keeps_killing_workers_is_reported_failed(app, auth, client, hold):
    auth.login("sso")
    with running_workers(app):
        location = client.get("/reports/port-calls/1.pdf", headers=HTML).headers["Location"]
        for attempt in (1, 2, 3):
            job = wait_for(job_where(app, status="running", attempts=attempt), "a claim")
            os.kill(int(job.claimed_by.rsplit(":", 1)[1]), signal.SIGKILL)
        wait_for(job_where(app, status="failed"), "the job to fail")
        page = client.get(location, headers=HTML)
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "The report PDF could not be made: The worker making it stopped (3 times)." in text
    assert ">Try again</a>" in text
    assert client.get("/reports/port-calls/1.pdf").status_code == 202  # try again: a new job
    assert [j.status for j in jobs(app)] == ["failed", "queued"]


def test_the_api_answers_202_json_and_follows_location_to_the_zip(app, make_user):
    user = make_user("sso", username="api-sso")
    with app.app_context():
        value = create_token(db.session, db.session.get(User, user.id), "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {value}"}
    client = app.test_client()
    with running_workers(app):
        first = client.get("/api/v1/port-calls/1/report.csv.zip", headers=headers)
        assert first.status_code == 202
        body = first.get_json()
        assert body["status"] in ("queued", "running")
        assert body["location"] == first.headers["Location"]
        done = fetch(client, "/api/v1/port-calls/1/report.csv.zip", headers=headers)
    assert done.status_code == 200
    assert done.data.startswith(b"PK")


def test_the_pfsos_csv_export_and_a_card_sheet_are_made_by_a_worker(app, auth, client, make_badge):
    auth.login("sso")
    add_movements(app, 5)
    make_badge(), make_badge()
    with running_workers(app):
        log = fetch(client, "/pfso/log.csv?direction=board")
        sheet = fetch(client, "/sso/badges/sheet.pdf?ids=2,1")
        # Filters typed at length make a job key past its 200-character column (PostgreSQL
        # refused it with a 500): the key ends in a hash instead, and the same search joins it.
        long = f"/pfso/log.csv?direction=board&q={'HANSEN ' * 14}&purpose={'x' * 150}"
        found = fetch(client, long)
    assert found.status_code == 200
    assert found.mimetype == "text/csv"
    assert max(len(j.key) for j in jobs(app)) == 200
    assert log.status_code == 200
    assert log.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(log.get_data(as_text=True).removeprefix("\ufeff"))))
    assert len(rows) == 3
    assert client.get("/pfso/log.csv?from=not-a-time").status_code == 400  # told at once
    assert sheet.status_code == 200
    assert sheet.data.startswith(b"%PDF")
    assert sheet.headers["Content-Disposition"].startswith("inline")  # shown, to be printed
    assert "card_sheet:2,1" in [j.key for j in jobs(app)]


def test_the_report_stored_at_close_is_made_by_a_worker_even_one_killed_mid_way(
    app, auth, client, hold
):
    from gangway.db.models import ReportSnapshot

    auth.login("sso")
    add_movements(app)
    with running_workers(app):
        assert client.post("/sso/port-calls/1/close", data={"departed_at": ""}).status_code == 302
        first = wait_for(job_where(app, kind="report_snapshot", status="running"), "the job")
        os.kill(int(first.claimed_by.rsplit(":", 1)[1]), signal.SIGKILL)
        wait_for(job_where(app, kind="report_snapshot", attempts=2), "the job to be retried")
        os.remove(hold)
        wait_for(job_where(app, kind="report_snapshot", status="done"), "the stored report")
    with app.app_context():
        stored = db.session.scalars(db.select(ReportSnapshot)).one()
        assert stored.status == "ready"
        assert stored.pdf_sha256


def test_the_report_page_is_rendered_by_a_worker_and_opened_when_ready(app, auth, client):
    auth.login("sso")
    add_movements(app, 4)
    with running_workers(app):
        first = client.get("/reports/port-calls/1", headers=HTML)
        assert first.status_code == 202
        assert "Preparing the report" in first.get_data(as_text=True)
        location = first.headers["Location"]
        wait_for(job_where(app, kind="report_html", status="done"), "the page")
        polled = client.get(location, headers={"HX-Request": "true"})
        assert polled.headers["HX-Redirect"] == location  # htmx opens the page
        page = fetch(client, location)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "End-of-port-call security report" in text
    assert "Movement log (4 movements)" in text
    assert "gangway-part" not in text  # every part streamed in where it belongs
    shown = text.split('name="content_hash" value="')[1].split('"')[0]
    signed = client.post("/reports/port-calls/1/sign-off", data={"content_hash": shown})
    assert signed.status_code == 302
    assert "Signed off" in client.get(location).get_data(as_text=True)
