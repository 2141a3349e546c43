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

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..atomic_files import write_atomically
from ..models import PortCall, ReportSnapshot
from .port_call_report import Report, build_report
from .report_sign_off import signature_state

log = logging.getLogger(__name__)

#: kind -> (file name after "port-call-<id>-", MIME type, label on the page)
FILES = {
    "pdf": ("report.pdf", "application/pdf", "PDF"),
    "csv": ("records.csv.zip", "application/zip", "CSV (zip)"),
    "html": ("report.html", "text/html", "HTML"),
}
STALE_AFTER = timedelta(minutes=10)  # 100,000 movements take ~10 s: pending longer means lost


@dataclass(frozen=True)
class StoredFile:
    """One stored form of the report, as the page lists it."""

    kind: str
    label: str
    name: str
    sha256: str
    size: int | None


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


def file_name(call_id: int, kind: str) -> str:
    """Return the stored file's name, e.g. port-call-7-report.pdf."""
    return f"port-call-{call_id}-{FILES[kind][0]}"


def snapshot_folder(reports_dir: Path, call_id: int) -> Path:
    """Return the folder holding a call's stored reports (all its snapshots)."""
    return Path(reports_dir) / f"port-call-{call_id}"


def files_folder(reports_dir: Path, snapshot: ReportSnapshot) -> Path:
    """Return the folder of one snapshot's files (a copy stored before revisions existed lies
    in the call's folder itself)."""
    call_folder = snapshot_folder(reports_dir, snapshot.port_call_id)
    own = call_folder / f"snapshot-{snapshot.id}"
    older = (call_folder / file_name(snapshot.port_call_id, "pdf")).is_file()
    return call_folder if older and not own.is_dir() else own


def stored_files(snapshot: ReportSnapshot, reports_dir: Path) -> list[StoredFile]:
    """Return the ready snapshot's files with their recorded SHA-256 and size on disk."""
    folder, out = files_folder(reports_dir, snapshot), []
    for kind, (_, _, label) in FILES.items():
        name = file_name(snapshot.port_call_id, kind)
        path = folder / name
        size = path.stat().st_size if path.is_file() else None
        out.append(StoredFile(kind, label, name, getattr(snapshot, f"{kind}_sha256"), size))
    return out


def stored_file(snapshot: ReportSnapshot | None, kind: str, reports_dir: Path) -> bytes | None:
    """Return a ready snapshot's file if it is on disk (None: no such file).

    :raises ValueError: the file no longer matches the SHA-256 recorded when it was written.
    """
    if snapshot is None or snapshot.status != "ready" or kind not in FILES:
        return None
    path = files_folder(reports_dir, snapshot) / file_name(snapshot.port_call_id, kind)
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != getattr(snapshot, f"{kind}_sha256"):
        raise ValueError(f"{path.name} does not match the SHA-256 recorded when it was stored.")
    return data


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
        own = snapshot_folder(reports_dir, call_id) / f"snapshot-{snapshot_id}"  # never another's
        hashes = _write_files(own, call_id, files)
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


def _write_files(folder: Path, call_id: int, files: dict[str, bytes]) -> dict[str, str]:
    """Write each file through a temp file and os.replace: never a half-written report."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for kind, data in files.items():
        write_atomically(folder / file_name(call_id, kind), data)
        hashes[kind] = hashlib.sha256(data).hexdigest()
    return hashes


def _short(exc: Exception) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 300 else text[:299] + "…"
