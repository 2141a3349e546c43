"""A list import confirms the check the SSO saw: that file, once, by the one who checked it."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest

from gangway.background.queue import KEPT, prune, uploads_dir
from gangway.background.worker import jobs_dir
from gangway.extensions import db
from tests.conftest import NOW
from tests.integration.test_imports import CREW_FILE, CREW_HEADER, HANSEN, counts, preview
from tests.support.job_workers import jobs

HTMX = {"HX-Request": "true"}


def check_of(response) -> str:
    """Return the check id the page's import button confirms."""
    return re.search(r'name="check" value="(\d+)"', response.get_data(as_text=True)).group(1)


def confirm(client, check: str, **headers):
    return client.post("/sso/lists/crew/import", data={"check": check}, headers=headers)


@pytest.fixture
def sso(auth):
    auth.login("sso")


@pytest.mark.usefixtures("sso")
def test_the_check_has_its_own_page_and_reloading_it_queues_nothing(app, client):
    checked = preview(client, "crew", CREW_FILE)
    assert re.fullmatch(r"/sso/lists/crew/jobs/\d+", checked.request.path)  # after a 303
    again = client.get(checked.request.path)
    assert 'data-testid="creates">3<' in again.get_data(as_text=True)
    assert len(jobs(app)) == 1
    assert counts(app) == {"badges": 0}  # a check writes nothing


@pytest.mark.usefixtures("sso")
def test_confirming_twice_imports_once_and_shows_the_same_import(app, client):
    check = check_of(preview(client, "crew", CREW_FILE))
    first = confirm(client, check)
    second = confirm(client, check, **HTMX)  # the button hit again from the same page
    assert first.status_code == 303
    assert second.headers["HX-Redirect"] == "/sso/lists/crew"
    page = client.get("/sso/lists/crew").get_data(as_text=True)
    assert "List imported: 3 added, 0 updated, 0 unchanged." in page
    assert counts(app) == {"crew": 3, "badges": 3}
    assert len([j for j in jobs(app) if ":import:" in j.key]) == 1


@pytest.mark.usefixtures("sso")
def test_the_import_is_the_checked_file_whatever_is_posted_beside_it(app, client):
    check = check_of(preview(client, "crew", "\r\n".join([CREW_HEADER, HANSEN])))
    client.post(
        "/sso/lists/crew/import", data={"check": check, "text": CREW_FILE}
    )  # a forged field with a longer list is ignored
    assert counts(app) == {"crew": 1, "badges": 1}


@pytest.mark.usefixtures("sso")
def test_an_import_without_a_check_or_with_a_refused_one_imports_nothing(app, client):
    for check in ("", "abc", "999"):
        page = confirm(client, check).get_data(as_text=True)
        assert "Check the file first." in page
    refused = preview(client, "crew", CREW_FILE.replace("1970-01-02", "02/01/1970"))
    check = refused.request.path.rsplit("/", 1)[1]
    page = confirm(client, check, **HTMX).get_data(as_text=True)
    assert "Nothing imported: the list has 1 problem." in page
    assert counts(app) == {"badges": 0}


def test_another_persons_check_is_neither_shown_nor_imported(app, client, auth):
    auth.login("sso")
    checked = preview(client, "crew", CREW_FILE)
    check = check_of(checked)
    auth.logout()
    auth.login("admin")  # may import lists too, but did not make this check
    assert client.get(checked.request.path).status_code == 404
    assert "Check the file first." in confirm(client, check).get_data(as_text=True)
    assert client.get(f"/sso/lists/passengers/jobs/{check}").status_code == 404
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_a_check_older_than_a_day_is_not_imported_and_says_so(app, client):
    check = check_of(preview(client, "crew", CREW_FILE))
    folder = uploads_dir(jobs_dir(app))
    (upload,) = folder.glob("*.csv")
    old = time.time() - KEPT.total_seconds() - 60
    os.utime(upload, (old, old))
    with app.app_context():
        from gangway.db.types import utcnow

        prune(db.session, jobs_dir(app), utcnow() + timedelta(seconds=1))
    assert not upload.exists()  # checked, never confirmed: deleted with the day's old files
    page = confirm(client, check, **HTMX).get_data(as_text=True)
    assert "This check is too old to import: check the file again." in page
    assert counts(app) == {"badges": 0}


@pytest.mark.usefixtures("sso")
def test_the_check_under_way_polls_and_a_failed_one_says_so(app, client):
    from gangway.background.queue import fail_job, request_job
    from gangway.db.models import User

    with app.app_context():
        sso_id = db.session.scalar(db.select(User.id).where(User.username == "sso"))
        params = {"kind": "crew", "input": "x.csv", "dry_run": True, "user_id": sso_id}
        job = request_job(db.session, "list_import", "list_import:x.csv", params,
                          user_id=sso_id, now=NOW)  # fmt: skip
        job_id = job.id
    page = client.get(f"/sso/lists/crew/jobs/{job_id}", headers=HTMX).get_data(as_text=True)
    assert "Checking the list…" in page
    assert f'hx-get="/sso/lists/crew/jobs/{job_id}" hx-trigger="every 1s"' in page
    with app.app_context():
        fail_job(db.session, job_id, "It could not be made (MemoryError).", NOW)
    page = client.get(f"/sso/lists/crew/jobs/{job_id}").get_data(as_text=True)
    assert "the list could not be checked. It could not be made (MemoryError)." in page
    assert "hx-trigger" not in page.split('id="lists-preview"')[1]  # no more polling
