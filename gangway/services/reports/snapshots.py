"""The report stored when a port call is closed: PDF, CSV zip and HTML under <instance>/reports/.

Closing a call adds a "pending" snapshot in the same transaction; a background job claims it
("building"), builds the report, writes the three files (each complete or not at all), records
their SHA-256 and the time, and marks it "ready" - or "failed" with the reason, and the close
stands either way.

Records can reach a closed call later: a tablet that was offline sends its scans when it is
back. Each late record asks for a revision: a new snapshot, stored beside the earlier ones
(each in its own folder, so a failed revision never spoils the copy that was mailed), unless
one is already waiting to be built. A snapshot claimed for building before the record was
committed may miss it, so only an unclaimed one counts as waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gangway.db.models import PortCall, ReportSnapshot
from gangway.services.audit.guard import row_matches_chain
from gangway.services.reports.files import own_folder, stored_file, write_files
from gangway.services.reports.port_call_report import Report, build_report
from gangway.services.reports.sign_off import signature_state

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)  # 100,000 movements take ~10 s: pending longer means lost


def request_snapshot(session: Session, call_id: int, *, now: datetime) -> ReportSnapshot:
    """Add a pending snapshot for a call (the caller commits it with the close)."""
    snapshot = ReportSnapshot(port_call_id=call_id, status="pending", requested_at=now)
    session.add(snapshot)
    return snapshot


def request_revision(session: Session, call_id: int, *, now: datetime) -> ReportSnapshot | None:
    """Add a pending snapshot for a closed call unless one waits unclaimed (caller commits).

    Returns None for an open call (its report is stored when it closes) or when a waiting
    snapshot will read the records anyway.
    """
    closed = session.scalar(
        select(PortCall.id).where(PortCall.id == call_id, PortCall.departed_at.is_not(None))
    )
    if closed is None:
        return None
    waiting = session.scalar(
        select(ReportSnapshot.id).where(
            ReportSnapshot.port_call_id == call_id,
            ReportSnapshot.status == "pending",
            ReportSnapshot.requested_at > now - STALE_AFTER,
        )
    )
    if waiting is not None:
        return None
    return request_snapshot(session, call_id, now=now)


def earlier_copy(session: Session, snapshot: ReportSnapshot) -> ReportSnapshot | None:
    """Return the ready snapshot of the same call before this one (what a revision replaces)."""
    return session.scalar(
        select(ReportSnapshot)
        .where(
            ReportSnapshot.port_call_id == snapshot.port_call_id,
            ReportSnapshot.id < snapshot.id,
            ReportSnapshot.status == "ready",
        )
        .order_by(ReportSnapshot.id.desc())
        .limit(1)
    )


def mailed_copy(session: Session, snapshot: ReportSnapshot) -> ReportSnapshot | None:
    """Return the latest copy of the same call mailed before this one (what the CSO and the
    PFSO hold)."""
    return session.scalar(
        select(ReportSnapshot)
        .where(
            ReportSnapshot.port_call_id == snapshot.port_call_id,
            ReportSnapshot.id < snapshot.id,
            ReportSnapshot.mailed_to.is_not(None),
        )
        .order_by(ReportSnapshot.id.desc())
        .limit(1)
    )


def superseded(session: Session, snapshot: ReportSnapshot) -> bool:
    """Tell whether a newer snapshot of the same call waits to be built (it will hold more)."""
    newer = select(ReportSnapshot.id).where(
        ReportSnapshot.port_call_id == snapshot.port_call_id,
        ReportSnapshot.id > snapshot.id,
        ReportSnapshot.status == "pending",
    )
    return session.scalar(newer.limit(1)) is not None


def latest_snapshots(
    session: Session, call_ids: Iterable[int], *, status: str | None = None
) -> dict[int, ReportSnapshot]:
    """Return each call's latest snapshot (of this status) by call id; calls without one are
    left out."""
    latest = select(func.max(ReportSnapshot.id)).where(
        ReportSnapshot.port_call_id.in_(list(call_ids))
    )
    if status:
        latest = latest.where(ReportSnapshot.status == status)
    latest = latest.group_by(ReportSnapshot.port_call_id)
    found = session.scalars(select(ReportSnapshot).where(ReportSnapshot.id.in_(latest)))
    return {s.port_call_id: s for s in found}


def shown_snapshots(
    session: Session, call_ids: Iterable[int]
) -> dict[int, tuple[ReportSnapshot, ReportSnapshot | None]]:
    """Return, by call id, the copy to show (the latest ready one, else the latest) and a newer
    snapshot still being built or failed (None if there is none)."""
    call_ids = list(call_ids)
    latest = latest_snapshots(session, call_ids)
    ready = latest_snapshots(session, call_ids, status="ready")
    out = {}
    for call_id, last in latest.items():
        shown = ready.get(call_id, last)
        out[call_id] = (shown, last if last is not shown else None)
    return out


def snapshot_state(snapshot: ReportSnapshot | None, now: datetime) -> str:
    """Return none, pending, ready or failed (a job pending too long died with its process)."""
    if snapshot is None:
        return "none"
    if snapshot.status in ("pending", "building"):
        return "failed" if now - snapshot.requested_at > STALE_AFTER else "pending"
    return snapshot.status


Renderer = Callable[[Report, tuple], dict[str, bytes]]


def generate_snapshot(
    session: Session, snapshot_id: int, *, reports_dir: Path, render: Renderer, now: datetime
) -> tuple[ReportSnapshot | None, Report | None, dict[str, bytes]]:
    """Build a pending snapshot's report, store its forms and mark it ready (or failed).

    `render(report, signature_state)` returns the files' bytes by kind (pdf, csv, html).
    Returns the snapshot, the report and the files (no report and no files when it failed).
    """
    claimed = session.execute(  # from now on a late record asks for a revision of its own
        update(ReportSnapshot)
        .where(ReportSnapshot.id == snapshot_id, ReportSnapshot.status == "pending")
        .values(status="building")
    ).rowcount
    session.commit()
    snapshot = session.get(ReportSnapshot, snapshot_id)
    if not claimed:
        return snapshot, None, {}
    call_id = snapshot.port_call_id
    try:
        report = build_report(session, call_id)
        files = render(report, signature_state(session, call_id, report=report))
        own = own_folder(reports_dir, call_id, snapshot_id)  # never another snapshot's
        hashes = write_files(own, call_id, files)
    except Exception as exc:  # anything: the close stands and the page offers the on-demand forms
        log.exception("Could not generate the report of port call %s", call_id)
        session.rollback()
        snapshot = session.get(ReportSnapshot, snapshot_id)
        snapshot.status, snapshot.error = "failed", _short(exc)
        session.commit()
        return snapshot, None, {}
    snapshot.status, snapshot.generated_at = "ready", now
    snapshot.content_hash = report.content_hash
    for kind, digest in hashes.items():
        setattr(snapshot, f"{kind}_sha256", digest)
    session.commit()
    return snapshot, report, files


def fail_snapshot(session: Session, snapshot_id: int, reason: str) -> None:
    """Mark a snapshot failed when its job could not even start (e.g. the queue was full)."""
    snapshot = session.get(ReportSnapshot, snapshot_id)
    if snapshot is not None and snapshot.status in ("pending", "building"):
        snapshot.status, snapshot.error = "failed", reason[:300]
        session.commit()


def record_mailing(
    session: Session, snapshot: ReportSnapshot, *, sent_to: list[str], error: str | None
) -> None:
    """Record to whom the stored report was mailed, or why it was not."""
    snapshot.mailed_to = ", ".join(sent_to)[:400] or None
    snapshot.mail_error = error[:300] if error else None
    session.commit()


SWAPPED = (
    "This stored copy does not match the audit chain: its recorded hashes were changed after "
    "it was stored, so it is not served. Run `gangway verify-log` and tell the SSO."
)


def verified_file(
    session: Session, snapshot: ReportSnapshot | None, kind: str, reports_dir: Path
) -> bytes | None:
    """Return a stored copy's file if its recorded hashes match the audit chain and the file
    matches them (None: no such file).

    :raises ValueError: the copy or its recorded hashes were changed since it was stored.
    """
    ready = snapshot is not None and snapshot.status == "ready"
    if ready and not row_matches_chain(session.connection(), "report_snapshot", snapshot.id):
        raise ValueError(SWAPPED)
    return stored_file(snapshot, kind, reports_dir)


def _short(exc: Exception) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 300 else text[:299] + "…"
