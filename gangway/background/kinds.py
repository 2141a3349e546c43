"""What each kind of job makes: a port call's report, the PFSO's CSV export, sheets of cards.

Each maker takes the session, the job's parameters and the folder to write in, writes one file
there (through a temp file and os.replace: never a half-written download) and returns its name
and MIME type. They run in a worker process (gangway.background.worker), or in the request under
JOBS = "inline" (the default in tests).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from gangway.background.queue import uploads_dir
from gangway.background.security_report_job import security_report_pdf
from gangway.db.atomic_files import atomic_file, write_atomically
from gangway.db.models import PortCall, User
from gangway.db.types import utcnow
from gangway.domain.reporting.access_log import parse_filters
from gangway.render.cards import render_sheet_pdf
from gangway.render.reports.pdf import render_report_pdf
from gangway.services.access_log.access_log import all_log_rows
from gangway.services.people.cards import badges_by_ids, card_data, crew_badges
from gangway.services.reports.port_call_report import build_report, csv_zip_for_call


def report_pdf(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the port call's report as a PDF."""
    call_id = params["call_id"]
    name = f"port-call-{call_id}-report.pdf"
    write_atomically(folder / name, render_report_pdf(build_report(session, call_id)))
    return name, "application/pdf"


def shore_report_pdf(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write a port call's report ashore as a PDF, from the records its ship sent (issue 17)."""
    from gangway.services.shore.call_report import report_of

    imo, call_id = params["imo"], params["call_id"]
    name = f"{imo}-port-call-{call_id}-report.pdf"
    report, _ = report_of(session, imo, call_id)
    write_atomically(folder / name, render_report_pdf(report))
    return name, "application/pdf"


def report_html(session, params: dict, folder: Path) -> tuple[str, str]:
    """Render the report page's header and body, and note the records' hash they show."""
    from gangway.services.reports.sign_off import signature_state

    call_id = params["call_id"]
    report = build_report(session, call_id)
    return _report_parts(folder, report, signature_state(session, call_id, report=report))


def shore_report_html(session, params: dict, folder: Path) -> tuple[str, str]:
    """Render a port call's report page ashore as on board (issue 17), from its ship's records."""
    from gangway.services.shore.call_report import report_of

    return _report_parts(folder, *report_of(session, params["imo"], params["call_id"]))


def _report_parts(folder: Path, report, state) -> tuple[str, str]:
    """Write the report page's parts and, last, the records' hash they show."""
    from gangway.render.reports.html import render_report_parts

    for name, html in render_report_parts(report, state).items():
        write_atomically(folder / f"{name}.html", html.encode())
    write_atomically(folder / "meta.json", json.dumps({"hash": report.content_hash}).encode())
    return "meta.json", "application/json"  # written last: the parts are all there


def report_csv(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the port call's records as CSV files in a zip."""
    call_id = params["call_id"]
    name = f"port-call-{call_id}-records.csv.zip"
    write_atomically(folder / name, csv_zip_for_call(session, call_id))
    return name, "application/zip"


def access_log_csv(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write the whole filtered access log of one call as CSV, streamed to a temp file."""
    from gangway.render.access_log_rows import csv_lines, present_row

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


def shore_access_log_csv(session, params: dict, folder: Path) -> tuple[str, str]:
    """Write a ship's call's filtered access log ashore as CSV (issue 17), masked by role."""
    from gangway.render.access_log_rows import csv_lines, present_row
    from gangway.services.shore.call_log import all_log_rows, find_call, fleet_ship

    ship = fleet_ship(session, params["imo"])
    call = find_call(session, ship, params["call_id"])
    rows = all_log_rows(session, call, parse_filters(params["args"]))
    items = (present_row(r, {call.call_id: call}, params["role"]) for r in rows)
    name = f"access-log-{ship.imo}-{call.call_id}.csv"
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


CHANGES_SHOWN = 50  # the first changed rows, for the SSO to see what the list does


def list_import(session, params: dict, folder: Path) -> tuple[str, str]:
    """Import (or with dry_run preview) a crew or passenger list; write the answer as JSON.

    Retried after a worker died, it changes nothing twice: the import is one transaction, and
    importing the same list again leaves every person unchanged.
    """
    from gangway import keys
    from gangway.services.lists.imports import ImportRefused, apply_import, preview_import

    upload = uploads_dir(folder.parent) / params["input"]
    if (folder / "result.json").is_file() and not upload.exists():
        return "result.json", "application/json"  # done before its worker died: not again
    data = upload.read_bytes()
    kind, now = params["kind"], utcnow()
    try:
        if params["dry_run"]:
            result = preview_import(session, kind, data, now=now)
            if result.has_problems:
                raise ImportRefused(result.problems)
        else:
            user = session.get(User, params["user_id"])
            signing = {"private_key": keys.signing_key(), "key_id": keys.KEY_ID}
            result = apply_import(session, kind, data, user=user, now=now, **signing)
    except ImportRefused as exc:
        session.rollback()
        answer = {
            "outcome": "refused",
            "error": "invalid_list",
            "message": exc.message,
            "problems": [asdict(p) for p in exc.problems],
        }
    else:
        answer = {
            "outcome": "previewed" if params["dry_run"] else "imported",
            "created": len(result.creates),
            "updated": len(result.updates),
            "unchanged": len(result.unchanged),
            "warnings": [asdict(w) for w in result.warnings],
            "changes": [asdict(c) for c in (result.creates + result.updates)[:CHANGES_SHOWN]],
            "dry_run": params["dry_run"],
            "sheet": result.sheet,  # the workbook's sheet that was read; None for a CSV file
        }
    write_atomically(folder / "result.json", json.dumps(answer, default=str).encode())
    if not params.get("keep_input"):  # a check the SSO may confirm keeps its file
        upload.unlink()  # a retry after this point finds the result written; never re-imports
    return "result.json", "application/json"


def report_snapshot(session, params: dict, folder: Path) -> tuple[str, str]:
    """Generate, store and mail the report of a closed call (gangway.background.snapshot_job).

    A worker killed mid-way left the snapshot "building": this job is its only builder (the
    lease lets one worker at a time run it), so it is set back to pending and built again.
    """
    from gangway.background.snapshot_job import run_job
    from gangway.db.models import ReportSnapshot

    snapshot_id = params["snapshot_id"]
    session.execute(
        update(ReportSnapshot)
        .where(ReportSnapshot.id == snapshot_id, ReportSnapshot.status == "building")
        .values(status="pending")
    )
    session.commit()
    run_job(current_app._get_current_object(), snapshot_id)
    status = session.scalar(select(ReportSnapshot.status).where(ReportSnapshot.id == snapshot_id))
    write_atomically(folder / "snapshot.json", json.dumps({"status": status}).encode())
    return "snapshot.json", "application/json"


MAKERS = {
    "report_snapshot": report_snapshot,
    "list_import": list_import,
    "report_pdf": report_pdf,
    "shore_report_pdf": shore_report_pdf,  # issue 17: a call's report ashore
    "report_html": report_html,
    "shore_report_html": shore_report_html,  # issue 17: a call's report page ashore
    "report_csv": report_csv,
    "access_log_csv": access_log_csv,
    "shore_access_log_csv": shore_access_log_csv,  # issue 17: a call's log ashore
    "card_sheet": card_sheet,
    "security_report_pdf": security_report_pdf,  # issue 19
}
