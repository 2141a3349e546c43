"""Where a stored report's files live, and reading them back checked against their SHA-256.

<instance>/reports/port-call-<id>/snapshot-<n>/port-call-<id>-report.pdf (and .csv.zip, .html):
each snapshot of a call in its own folder, so a revision never overwrites the copy mailed before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from gangway.db.atomic_files import write_atomically
from gangway.db.models import ReportSnapshot

#: kind -> (file name after "port-call-<id>-", MIME type, label on the page)
FILES = {
    "pdf": ("report.pdf", "application/pdf", "PDF"),
    "csv": ("records.csv.zip", "application/zip", "CSV (zip)"),
    "html": ("report.html", "text/html", "HTML"),
}


@dataclass(frozen=True)
class StoredFile:
    """One stored form of the report, as the page lists it."""

    kind: str
    label: str
    name: str
    sha256: str
    size: int | None


def file_name(call_id: int, kind: str) -> str:
    """Return the stored file's name, e.g. port-call-7-report.pdf."""
    return f"port-call-{call_id}-{FILES[kind][0]}"


def snapshot_folder(reports_dir: Path, call_id: int) -> Path:
    """Return the folder holding a call's stored reports (all its snapshots)."""
    return Path(reports_dir) / f"port-call-{call_id}"


def own_folder(reports_dir: Path, call_id: int, snapshot_id: int) -> Path:
    """Return the folder a snapshot's files are written to."""
    return snapshot_folder(reports_dir, call_id) / f"snapshot-{snapshot_id}"


def files_folder(reports_dir: Path, snapshot: ReportSnapshot) -> Path:
    """Return the folder of one snapshot's files (a copy stored before revisions existed lies
    in the call's folder itself)."""
    call_folder = snapshot_folder(reports_dir, snapshot.port_call_id)
    own = own_folder(reports_dir, snapshot.port_call_id, snapshot.id)
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


def write_files(folder: Path, call_id: int, files: dict[str, bytes]) -> dict[str, str]:
    """Write each file through a temp file and os.replace: never a half-written report."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for kind, data in files.items():
        write_atomically(folder / file_name(call_id, kind), data)
        hashes[kind] = hashlib.sha256(data).hexdigest()
    return hashes
