"""Verify the audit chain in the background, asked for from the admin's page.

A full verification reads every entry and record (about 8,000 records a second): it runs on one
daemon worker thread per app (gangway.background.jobs), never in the request, and chains its result
(gangway.services.audit.verification), which the page polls for. VERIFY_JOBS = "inline" runs it in
the request instead; that is the default under TESTING, so that no job outlives a test's database.
"""

from __future__ import annotations

import logging
import queue

from gangway.background.jobs import JobRunner
from gangway.db.models import User
from gangway.extensions import db
from gangway.services.audit.verification import verify_and_record

log = logging.getLogger(__name__)

_EXTENSION = "gangway.verify_jobs"


def start_verification(app, user_id: int) -> bool:
    """Queue a verification asked for by a user; False if one is waiting already."""
    try:
        _runner.submit(app, user_id)
    except queue.Full:
        return False
    except RuntimeError:  # no thread could be started
        log.exception("Could not start the audit chain verification")
        return False
    return True


def run_job(app, user_id: int) -> None:
    """Verify and chain the result; never raise (the worker thread must survive)."""
    try:
        with app.app_context():
            user = db.session.get(User, user_id)
            verify_and_record(db.session, by=user.username if user else f"user {user_id}")
    except Exception:
        log.exception("Audit chain verification asked by user %s failed", user_id)


def wait_until_idle(app, timeout: float) -> bool:
    """Wait until the queued verification is done; return False on timeout (for tests)."""
    return _runner.wait_until_idle(app, timeout)


# One waiting behind the running one is enough: a second would check the same chain again.
_runner = JobRunner(
    _EXTENSION, run_job, queue_size=1, thread_name="gangway-verify", mode_key="VERIFY_JOBS"
)
