"""Ask for a stored copy of a closed call's report, and have it made once that is committed.

The copy is a pending row in the close's (or the revision's) own transaction; its files are made
by a background job (background/snapshot_job.py) that must only start once the row is committed,
so the service defers it (after_commit.defer) instead of leaving it to the caller.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from gangway.background.snapshot_job import generate_after_close
from gangway.db.models import ReportSnapshot
from gangway.services.after_commit import defer, unit_of_work
from gangway.services.reports.snapshots import request_revision


def generate_when_committed(session: Session, snapshot: ReportSnapshot) -> None:
    """Make the pending copy's files in the background once its transaction is committed."""
    app = current_app._get_current_object()
    defer(session, lambda: generate_after_close(app, snapshot.id))  # the id is known by then


def store_revision(session: Session, call_id: int, *, now: datetime) -> ReportSnapshot | None:
    """Ask for a revised copy of a closed call's report, commit it and have it made.
    None: the call is open, or a copy already waits to be made."""
    with unit_of_work(session):
        snapshot = request_revision(session, call_id, now=now)
        if snapshot is not None:
            generate_when_committed(session, snapshot)
    return snapshot
