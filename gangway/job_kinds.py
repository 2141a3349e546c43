"""What each kind of job makes: a port call's report, the PFSO's CSV export, sheets of cards.

Each maker takes the session, the job's parameters and the folder to write in, writes one file
there (through a temp file and os.replace: never a half-written download) and returns its name
and MIME type. They run in a worker process (gangway.job_worker), or in the request under
JOBS = "inline" (the default in tests).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from .atomic_files import atomic_file, write_atomically
from .cards import render_sheet_pdf
from .dbtypes import utcnow
from .domain.access_log import parse_filters
from .models import PortCall
from .reports.csv_zip import csv_zip_for_call
from .reports.pdf import render_report_pdf
from .services.access_log import all_log_rows
from .services.cards import badges_by_ids, card_data, crew_badges
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


def card_sheet(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write A4 sheets of the cards of the badges listed (all current crew badges: "crew")."""
    instance = Path(current_app.instance_path)
    if params.get("crew"):
        badges = crew_badges(session, utcnow())
    else:
        badges = badges_by_ids(session, params["ids"])
    name = "crew-cards.pdf" if params.get("crew") else "badge-cards.pdf"
    cards = [card_data(session, b, instance) for b in badges]
    write_atomically(folder / name, render_sheet_pdf(cards))
    return name, "application/pdf"


MAKERS = {
    "report_pdf": report_pdf,
    "report_csv": report_csv,
    "access_log_csv": access_log_csv,
    "card_sheet": card_sheet,
}
