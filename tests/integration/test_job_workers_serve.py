"""Beside the web server: `gangway serve` starts and restarts the job workers; list imports
go through them and their status tells the result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import gangway as gangway_package
from tests.conftest import build_app, dispose
from tests.integration.test_serve import free_port
from tests.support.job_workers import fetch, jobs, running_workers, wait_for


@pytest.fixture
def app(tmp_path):
    app = build_app(tmp_path, JOBS="process")
    yield app
    dispose(app)


def _job_workers_of(pid: int) -> set[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid), "-f", "gangway.background.worker"], capture_output=True, text=True
    )
    return {int(line) for line in found.stdout.split()}


def _answers(port: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
            return True
    except OSError:
        return False


@pytest.mark.sqlite_only  # `gangway serve` on its own instance's SQLite database
def test_serve_starts_a_low_priority_job_worker_and_restarts_it_when_killed(tmp_path):
    env = {**os.environ, "GANGWAY_INSTANCE_PATH": str(tmp_path)}
    env.pop("GANGWAY_TEST_DATABASE_URL", None)
    gangway = [sys.executable, "-c", "from gangway.cli import main; main()"]
    repo = Path(gangway_package.__file__).parents[1]  # this checkout's code, not the venv's
    subprocess.run([*gangway, "init-db"], env=env, cwd=repo, check=True, capture_output=True)
    port = ["--port", str(free_port()), "--host", "127.0.0.1", "--workers", "1"]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [*gangway, "serve", *port, "--no-access-log"], env=env, cwd=repo, stdout=log, stderr=log
    )
    try:
        wait_for(lambda: _answers(port[1]), "the server to answer")  # granian may stop now
        [first] = wait_for(lambda: _job_workers_of(server.pid), "a job worker")
        wait_for(lambda: os.getpriority(os.PRIO_PROCESS, first) >= 10, "a lower priority")
        os.kill(first, signal.SIGKILL)
        [second] = wait_for(lambda: _job_workers_of(server.pid) - {first}, "a new job worker")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # never leave a server behind on a loaded machine
            for pid in _job_workers_of(server.pid):
                os.kill(pid, signal.SIGKILL)
            server.kill()
            server.wait()
        log.close()
    assert not os.path.exists(f"/proc/{second}")  # stopped with the server


def test_a_list_import_runs_in_a_worker_and_its_status_tells_the_result(app, auth, client):
    from tests.integration.test_imports import BAD_CREW_FILE, CREW_FILE

    auth.login("sso")
    with running_workers(app):
        queued = client.post("/api/v1/imports/crew", data=CREW_FILE, content_type="text/csv")
        assert queued.status_code == 202
        assert queued.headers["Location"].startswith("/api/v1/jobs/")
        done = fetch(client, queued.headers["Location"])
        bad = client.post("/api/v1/imports/crew", data=BAD_CREW_FILE, content_type="text/csv")
        refused = fetch(client, bad.headers["Location"])
        again = fetch(client, client.post("/api/v1/imports/crew", data=CREW_FILE,
                                          content_type="text/csv").headers["Location"])  # fmt: skip
    assert done.status_code == 200
    assert done.get_json()["status"] == "done"
    assert done.get_json()["result"]["created"] == 3
    assert refused.get_json()["result"]["outcome"] == "refused"
    assert refused.get_json()["result"]["problems"]  # by line and column, nothing imported
    assert again.get_json()["result"]["unchanged"] == 3
    empty = client.post("/api/v1/imports/crew", data=b"", content_type="text/plain")
    assert empty.status_code in (400, 422)  # no list sent: told at once, no job
    assert len(jobs(app)) == 3
    other = app.test_client()
    auth_other = type(auth)(app, other)
    auth_other.login("admin")
    assert other.get(queued.headers["Location"]).status_code == 404  # not their job
