"""What each kind of job makes: a report file of a port call, the PFSO's CSV export.

Each maker takes the session, the job's parameters and the folder to write in, writes one file
there (through a temp file and os.replace: never a half-written download) and returns its name
and MIME type. They run in a worker process (gangway.job_worker), or in the request under
JOBS = "inline" (the default in tests).
"""

from __future__ import annotations

from pathlib import Path

from .atomic_files import atomic_file, write_atomically
from .domain.access_log import parse_filters
from .models import PortCall
from .reports.csv_zip import csv_zip_for_call
from .reports.pdf import render_report_pdf
from .services.access_log import all_log_rows
from .services.port_call_report import build_report


def report_pdf(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the port call's report as a PDF."""
    call_id = params["call_id"]
    name = f"port-call-{call_id}-report.pdf"
    write_atomically(folder / name, render_report_pdf(build_report(session, call_id)))
    return name, "application/pdf"


def report_csv(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the port call's records as CSV files in a zip."""
    call_id = params["call_id"]
    name = f"port-call-{call_id}-records.csv.zip"
    write_atomically(folder / name, csv_zip_for_call(session, call_id))
    return name, "application/zip"


def access_log_csv(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the whole filtered access log of one call as CSV, streamed to a temp file."""
    from .views.access_log_rows import csv_lines, present_row

    call = session.get(PortCall, params["call_id"]) if params["call_id"] else None
    filters = parse_filters(params["args"])
    ids = [call.id] if call else []
    rows = all_log_rows(session, ids, filters)
    items = (present_row(r, {call.id: call}, params["role"]) for r in rows)
    name = f"access-log-{call.id if call else 'none'}.csv"
    with atomic_file(folder / name) as out:
        for chunk in csv_lines(items):
            out.write(chunk.encode())
    return name, "text/csv"


MAKERS = {"report_pdf": report_pdf, "report_csv": report_csv, "access_log_csv": access_log_csv}
