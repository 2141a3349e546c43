"""The port call's records as a zip of CSV files, every text cell neutralised for spreadsheets."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

from ..domain.list_columns import neutralise
from ..services.port_call_report import Report

MOVEMENT_HEADER = ("id", "occurred_at", "direction", "kind", "person_id", "person", "purpose",
                   "access_point", "method", "searched", "escorted")  # fmt: skip
REFUSAL_HEADER = ("id", "occurred_at", "direction", "reason_code", "reason_codes", "reason",
                  "person_id", "purpose", "method")  # fmt: skip
LEVEL_HEADER = ("id", "level", "reason", "ordered_by", "notified_at", "complied_at")
DECLARATION_HEADER = ("id", "level", "ship_party", "port_party", "reason", "valid_from",
                      "valid_until", "signed_at")  # fmt: skip


def render_csv_zip(report: Report) -> bytes:
    """Return movements.csv, refusals.csv, level_changes.csv and declarations.csv, zipped."""
    files = {
        "movements.csv": (MOVEMENT_HEADER, map(_movement, report.movements)),
        "refusals.csv": (REFUSAL_HEADER, _cells(
            (r.id, r.occurred_at, r.direction, r.reason_code, r.reason_codes, r.reason_message,
             r.person_id, r.purpose, r.method) for r in report.refusals)),
        "level_changes.csv": (LEVEL_HEADER, _cells(
            (lc.id, lc.level, lc.reason, lc.ordered_by, lc.notified_at, lc.complied_at)
            for lc in report.levels)),
        "declarations.csv": (DECLARATION_HEADER, _cells(
            (d.id, d.level, d.ship_party_name, d.port_party_name, d.reason, d.valid_from,
             d.valid_until, d.signed_at) for d in report.declarations)),
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, (header, rows) in files.items():
            archive.writestr(name, _csv(header, rows))
    return buffer.getvalue()


def _movement(m) -> tuple:
    """Return a movement's cells; only free text is neutralised (the rest is ours)."""
    return (m.id, m.occurred_at.isoformat(), m.direction, m.kind, m.person_id,
            neutralise(m.person_name), neutralise(m.purpose or ""), neutralise(m.access_point),
            m.method, _YES_NO[m.searched], _YES_NO[m.escorted])  # fmt: skip


_YES_NO = {True: "yes", False: "no"}


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _cells(rows):
    return ([_cell(v) for v in row] for row in rows)


def _cell(value) -> str:
    """Write times as ISO 8601, booleans as yes/no, None as empty and text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)
