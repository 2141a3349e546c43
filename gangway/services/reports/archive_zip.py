"""The archive file of a port call: its records as CSV and JSON, zipped and written atomically.

An archive keeps every column as stored (no report formatting), so that the records purged
afterwards (SOLAS XI-2/9.2.1, 33 CFR 104.235) can be read back exactly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

from gangway.db.atomic_files import atomic_file


def archive_files(call, records: dict[str, tuple], *, now: datetime) -> dict[str, bytes]:
    """Return the zip's files: port_call.json, a CSV per `records` item, and the manifest.

    `records` maps a file name to (model, its records). The manifest holds each file's rows
    and SHA-256, so that a copy of the archive can be checked long after the purge.
    """
    files = {"port_call.json": json.dumps(_record_fields(call), indent=2).encode()}
    rows = {"port_call.json": 1}
    for name, (model, found) in records.items():
        files[name] = _records_csv(model, found).encode()
        rows[name] = len(found)
    manifest = {
        "port_call_id": call.id,
        "port_name": call.port_name,
        "archived_at": now.isoformat(),
        "files": {
            name: {"rows": rows[name], "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        },
    }
    files["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return files


def _record_fields(record) -> dict:
    """Return a record's columns as JSON values (times in ISO 8601)."""
    return {c.key: _json_value(getattr(record, c.key)) for c in record.__table__.columns}


def _json_value(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def _records_csv(model, records) -> str:
    """Return every column of the records as CSV, values as stored (an archive, not a report)."""
    keys = [c.key for c in model.__table__.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(keys)
    for record in records:
        writer.writerow([_cell(getattr(record, key)) for key in keys])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_json_value(value))


def write_zip_atomically(path: Path, files: dict[str, bytes]) -> None:
    """Write the zip whole or not at all (gangway.db.atomic_files)."""
    with (
        atomic_file(path) as fh,
        zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for name, data in files.items():
            archive.writestr(name, data)
