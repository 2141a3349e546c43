"""A worker process: claims jobs from the job table and makes their files, at low priority.

Started by `gangway serve` (background.supervisor), one or more, each its own process: a report
holds the interpreter for seconds, and in the serving process that is seconds of queued scans.
Each lowers its priority (background.priority: nice 10, idle I/O) so the scan process wins the CPU.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from pathlib import Path

from gangway.background.kinds import MAKERS
from gangway.background.priority import lower_priority
from gangway.background.queue import (
    LEASE,
    claim,
    claim_next,
    fail_job,
    finish_job,
    job_folder,
    prune,
    renew_lease,
)
from gangway.db.types import utcnow
from gangway.extensions import db

log = logging.getLogger(__name__)
IDLE_POLL = 0.1  # seconds between looks at the table when there is nothing to do
PRUNE_EVERY = 3600.0
PARENT_PID = "JOBS_PARENT_PID"  # set by the supervisor: a worker outliving it stops


def worker_name(pid: int | None = None) -> str:
    """Return host:pid, the name a worker claims jobs under (the supervisor knows it too)."""
    return f"{socket.gethostname()[:30]}:{pid or os.getpid()}"


def jobs_dir(app):
    """Return <instance>/jobs, where jobs write their files."""
    return Path(app.instance_path) / "jobs"


def run_job(app, job_id: int, kind: str, params: str, worker: str) -> None:
    """Make one claimed job's file, renewing its lease meanwhile; never raise."""
    stop = threading.Event()
    beat = threading.Thread(target=_renew, args=(app, job_id, worker, stop), daemon=True)
    beat.start()
    try:
        _hold(app)
        folder = job_folder(jobs_dir(app), job_id)
        folder.mkdir(parents=True, exist_ok=True)
        name, mimetype = MAKERS[kind](db.session, json.loads(params), folder)
        db.session.rollback()  # end the maker's read transaction before the write
        finish_job(db.session, job_id, worker, name, mimetype, utcnow())
    except Exception as exc:
        log.exception("Job %s (%s) failed", job_id, kind)
        db.session.rollback()
        fail_job(db.session, job_id, f"It could not be made ({type(exc).__name__}).", utcnow())
    finally:
        stop.set()
        beat.join()


def run_inline(app, job) -> None:
    """Run a job in this request (JOBS = "inline", the default in tests), as a worker would."""
    worker = f"inline:{worker_name()}"
    if claim(db.session, job, worker, utcnow()):
        run_job(app, job.id, job.kind, job.params, worker)
    db.session.refresh(job)


def _renew(app, job_id: int, worker: str, stop: threading.Event) -> None:
    with app.app_context():
        while not stop.wait(LEASE.total_seconds() / 3):
            with db.engine.begin() as connection:
                renew_lease(connection, job_id, worker, utcnow())


def _hold(app) -> None:
    """Tests only: wait while the file named by JOBS_HOLD exists (a job caught mid-way)."""
    hold = app.config.get("JOBS_HOLD") if app.testing else None
    while hold and os.path.exists(hold):
        time.sleep(0.02)


def serve_jobs(app, stop: threading.Event | None = None) -> None:
    """Claim and run jobs until `stop` is set or the parent process is gone."""
    worker = worker_name()
    # The supervisor's pid as it started us: if it died while we imported, ours is already 1.
    parent = int(os.environ.get(PARENT_PID) or os.getppid())
    last_prune = 0.0
    with app.app_context():
        while not (stop and stop.is_set()) and os.getppid() == parent:
            if time.monotonic() - last_prune > PRUNE_EVERY:
                prune(db.session, jobs_dir(app), utcnow())
                last_prune = time.monotonic()
            job = claim_next(db.session, worker, utcnow())
            if job is None:
                db.session.rollback()
                time.sleep(IDLE_POLL)
                continue
            run_job(app, job.id, job.kind, job.params, worker)


def main() -> None:
    """Run one worker process with the app its environment describes (GANGWAY_*)."""
    from gangway import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    lower_priority()
    serve_jobs(create_app())


if __name__ == "__main__":
    main()
