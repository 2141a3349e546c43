"""Real job worker processes for a test's app (background.supervisor), and waiting on jobs."""

from __future__ import annotations

import time
from contextlib import contextmanager

from sqlalchemy import select

from gangway.background.supervisor import Workers
from gangway.db.models import Job
from gangway.extensions import db

DEADLINE = 60.0  # seconds: a loaded 2-core machine starts a Python process in ~1 s


@contextmanager
def running_workers(app, count: int = 1):
    """Start `count` worker processes on the app's database and instance folder; stop them."""
    env = {
        "GANGWAY_TESTING": "true",
        "GANGWAY_SECRET_KEY": app.config["SECRET_KEY"],
        "GANGWAY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "GANGWAY_JOBS_HOLD": app.config.get("JOBS_HOLD") or "",
    }
    workers = Workers(app, count, env=env).start()
    try:
        yield workers
    finally:
        workers.stop()


def jobs(app) -> list[Job]:
    """Return every job row, oldest first (detached)."""
    with app.app_context():
        found = db.session.scalars(select(Job).order_by(Job.id)).all()
        db.session.expunge_all()
        db.session.remove()
        return found


def wait_for(check, what: str, deadline: float = DEADLINE):
    """Poll `check()` until it returns something true and return it."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def job_where(app, **fields):
    """Return a function that finds the one job whose fields match (for wait_for)."""

    def check():
        rows = jobs(app)
        matching = [j for j in rows if all(getattr(j, k) == v for k, v in fields.items())]
        return matching[0] if matching else None

    return check


def fetch(client, url: str, deadline: float = DEADLINE, **kwargs):
    """GET `url`, following 202's Location as a client of the protocol does, until not 202."""
    end = time.monotonic() + deadline
    response = client.get(url, **kwargs)
    while response.status_code == 202 and time.monotonic() < end:
        assert response.headers["Retry-After"] == "1"
        time.sleep(0.05)  # the protocol says 1 s; a test has no reason to wait that long
        response = client.get(response.headers["Location"], **kwargs)
    response.get_data()  # read the streamed file and close it (an open file warns)
    response.close()
    return response
