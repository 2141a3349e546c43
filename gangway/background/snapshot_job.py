"""Generate, store and mail a closed port call's report after the close is committed.

A job for the worker processes (gangway.background.worker), so that closing a call with 100,000
movements answers at once, no scan waits while the report renders, and a failure here never
undoes the close. REPORT_JOBS = "thread" runs it on a daemon thread of the app instead (the
earlier way, background.jobs); "inline" runs it in the closing request, the default under TESTING,
so that no job outlives a test's database.
"""

from __future__ import annotations

import logging
import queue
from pathlib import Path

from gangway.background import mail
from gangway.background.jobs import JobRunner
from gangway.background.mailing import email_report, report_recipients
from gangway.db.models import ReportSnapshot
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.render.reports.html import render_snapshot_html
from gangway.render.reports.pdf import render_report_pdf
from gangway.services.reports import snapshots
from gangway.services.reports.port_call_report import csv_zip_for_call

log = logging.getLogger(__name__)

QUEUE_SIZE = 100  # a ship closes a few calls a week; a full queue marks the snapshot failed
_EXTENSION = "gangway.report_jobs"


def reports_dir(app) -> Path:
    """Return <instance>/reports, where closed calls' reports are stored."""
    return Path(app.instance_path) / "reports"


def generate_after_close(app, snapshot_id: int) -> None:
    """Queue a committed pending snapshot's generation for the worker processes (REPORT_JOBS
    "process", the default), the app's thread ("thread") or run it now ("inline", in tests)."""
    if _mode(app) == "process":
        from gangway.background.queue import request_job

        with app.app_context():
            key = f"report_snapshot:{snapshot_id}"
            params = {"snapshot_id": snapshot_id}
            request_job(db.session, "report_snapshot", key, params, user_id=None, now=utcnow())
        return
    try:
        _runner.submit(app, snapshot_id)
    except (queue.Full, RuntimeError) as exc:  # RuntimeError: no thread could be started
        log.error("Report of snapshot %s not queued: %r", snapshot_id, exc)
        with app.app_context():
            snapshots.fail_snapshot(db.session, snapshot_id, "The report could not be queued.")


def _mode(app) -> str:
    return app.config.get("REPORT_JOBS") or ("inline" if app.testing else "process")


def run_job(app, snapshot_id: int) -> None:
    """Generate one snapshot, then mail its PDF when mail is set up; never raise."""
    try:
        with app.app_context():
            now = utcnow()
            queued = db.session.get(ReportSnapshot, snapshot_id)
            revises = snapshots.earlier_copy(db.session, queued) if queued else None

            def render(report, state) -> dict[str, bytes]:
                html = render_snapshot_html(report, state, generated_at=now, revises=revises)
                return {
                    "pdf": render_report_pdf(report),
                    "csv": csv_zip_for_call(db.session, report.call.id),
                    "html": html.encode(),
                }

            snapshot, report, files = snapshots.generate_snapshot(
                db.session, snapshot_id, reports_dir=reports_dir(app), render=render, now=now
            )
            if report is not None and mail.is_enabled(app.config):
                held = snapshots.mailed_copy(db.session, snapshot)  # what the recipients have
                if _worth_mailing(db.session, snapshot, report, held):
                    _mail(app, snapshot, report, files["pdf"], held)
    except Exception:  # the worker thread must survive; the close was committed already
        log.exception("Report job for snapshot %s failed", snapshot_id)


def _worth_mailing(session, snapshot, report, held) -> bool:
    """Mail the first copy always; a revision only if it holds records the recipients' copy
    lacks and no newer one is waiting (a burst of late records queues one after another)."""
    if held is None:
        return True
    return held.content_hash != report.content_hash and not snapshots.superseded(session, snapshot)


def _mail(app, snapshot, report, pdf: bytes, replaces) -> None:
    """Mail the stored PDF to the CSO and the PFSO and record the outcome on the snapshot.

    :param replaces: the copy the recipients were mailed before (None: this is the first).
    """
    if not report_recipients(app.config, report):
        return
    try:
        sent_to, error = email_report(app.config, report, pdf, replaces=replaces), None
    except (OSError, RuntimeError, ValueError) as exc:
        log.warning("Could not mail the report of port call %s: %s", report.call.id, exc)
        sent_to, error = [], f"{type(exc).__name__}: {exc}"
    snapshots.record_mailing(db.session, snapshot, sent_to=sent_to, error=error)


def wait_until_idle(app, timeout: float) -> bool:
    """Wait until every queued job is done; return False on timeout (for tests)."""
    return _runner.wait_until_idle(app, timeout)


_runner = JobRunner(
    _EXTENSION,
    run_job,
    queue_size=QUEUE_SIZE,
    thread_name="gangway-reports",
    mode_key="REPORT_JOBS",
)
