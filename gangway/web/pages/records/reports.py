"""The end-of-port-call report: page, PDF, CSV zip, the copy stored at close, sign-off, mail."""

from __future__ import annotations

import json
from dataclasses import asdict

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from gangway.background.mailing import email_report
from gangway.background.queue import is_inline
from gangway.background.snapshot_job import reports_dir
from gangway.db.models import PortCall
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.render.reports.html import PARTS, render_report_html, render_report_page
from gangway.render.reports.pdf import render_report_pdf
from gangway.services import BadInput
from gangway.services.reports import files as report_files
from gangway.services.reports import snapshots
from gangway.services.reports.port_call_report import build_report, may_read
from gangway.services.reports.sign_off import latest_sign_off, sign_off, signature_state
from gangway.services.reports.stored_copies import store_revision
from gangway.web.downloads import deferred_download, deferred_result
from gangway.web.roles import can, permission_required

bp = Blueprint("reports", __name__, url_prefix="/reports")
STORED = "<any(pdf, csv, html):kind>"


def readable_call(call_id: int) -> PortCall:
    """Return the port call, or abort with 404 (no call) or 403 (another facility's)."""
    call = db.get_or_404(PortCall, call_id)
    if not may_read(current_user, call):
        abort(403)
    return call


def readable_report(call_id: int):
    """Return the call's report, or abort with 404 (no call) or 403 (another facility's)."""
    readable_call(call_id)
    return build_report(db.session, call_id)


def html_response(call_id: int):
    """Return the report page, with the state of the copy stored at close; its long part is
    rendered by a worker process (202 and a progress page until then; gangway.web.downloads)."""
    call = readable_call(call_id)
    can_sign = can(current_user, "reports.sign")
    if is_inline(current_app):
        report = build_report(db.session, call_id)
        state = signature_state(db.session, call_id, report=report)
        return render_report_html(report, state, can_sign=can_sign, snapshot=snapshot_info(call))

    def page(path, job):
        folder = path.parent
        shown_hash = json.loads(path.read_text())["hash"]
        latest = latest_sign_off(db.session, call_id)
        state = (latest, shown_hash, bool(latest and latest.content_hash != shown_hash))
        info = snapshot_info(call)
        marks = {name: f"<!--gangway-part:{name}:{job.id}-->" for name in PARTS}
        around = render_report_page(call, marks, state, can_sign=can_sign, snapshot=info)
        return Response(streamed_parts(around, marks, folder), mimetype="text/html")

    key, params = f"report_html:{call_id}", {"call_id": call_id}
    return deferred_result("report_html", key, params, what="the report", answer=page, page=True)


def streamed_parts(around: str, marks: dict[str, str], folder):
    """Yield the page with the worker's parts read from their files in chunks (ashore too): a
    100,000-row report is tens of MB, and joining it into one string would hold the serving
    process."""
    rest = around
    for name, mark in marks.items():
        before, rest = rest.split(mark, 1)
        yield before.encode()
        with (folder / f"{name}.html").open("rb") as part:
            while chunk := part.read(256 * 1024):
                yield chunk
    yield rest.encode()


def file_response(call_id: int, kind: str):
    """Return the report as a PDF or a zip of CSV files as a download, made by a worker
    process (202 and a progress page until it is ready; gangway.web.downloads)."""
    readable_call(call_id)
    what = "the report PDF" if kind == "pdf" else "the records (CSV zip)"
    job_kind = f"report_{kind}"
    params = {"call_id": call_id}
    return deferred_download(job_kind, f"{job_kind}:{call_id}", params, what=what)


def snapshot_info(call: PortCall, *, endpoint: str = "reports.stored") -> dict:
    """Return the stored report to show (the latest ready copy, else the latest attempt), its
    files with download URLs, and a newer revision still being built or failed."""
    record, newer = snapshots.shown_snapshots(db.session, [call.id]).get(call.id, (None, None))
    now = utcnow()
    state = snapshots.snapshot_state(record, now)
    files = []
    if state == "ready":
        for f in report_files.stored_files(record, reports_dir(current_app)):
            url = url_for(endpoint, call_id=call.id, kind=f.kind)
            files.append({**asdict(f), "url": url})
    return {
        "state": state,
        "record": record,
        "files": files,
        "revised": bool(record and snapshots.earlier_copy(db.session, record)),
        "revision": snapshots.snapshot_state(newer, now) if newer else None,
        "revision_record": newer,
        "is_open": not call.departed_at,
        "show_error": can(current_user, "reports.errors"),
    }


def stored_response(call_id: int, kind: str):
    """Return a file of the report stored at close (404: none; 409: changed since written)."""
    readable_call(call_id)
    record, _ = snapshots.shown_snapshots(db.session, [call_id]).get(call_id, (None, None))
    try:
        body = snapshots.verified_file(db.session, record, kind, reports_dir(current_app))
    except ValueError as exc:
        abort(409, description=str(exc))
    if body is None:
        abort(404, description="No stored report file: it can be produced on demand.")
    _, mimetype, _ = report_files.FILES[kind]
    return _download(body, mimetype, report_files.file_name(call_id, kind))


def revise_stored_report(call_id: int) -> tuple[str, int | None]:
    """Ask for a revised stored report of a closed call and queue it; return what happened
    ("queued", "waiting": one is already waiting, "open": stored at close) and its id."""
    call = readable_call(call_id)
    if not call.departed_at:
        return "open", None
    snapshot = store_revision(db.session, call_id, now=utcnow())
    return ("queued", snapshot.id) if snapshot else ("waiting", None)


def _download(body: bytes, mimetype: str, name: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/port-calls/<int:call_id>")
@permission_required("reports.read")
def show(call_id: int):
    """Show the report, with its sign-off state and the copy stored at close."""
    return html_response(call_id)


@bp.get("/port-calls/<int:call_id>.pdf")
@permission_required("reports.read")
def pdf(call_id: int):
    """Download the report as a PDF."""
    return file_response(call_id, "pdf")


@bp.get("/port-calls/<int:call_id>.csv.zip")
@permission_required("reports.read")
def csv_zip(call_id: int):
    """Download the call's records as CSV files in a zip."""
    return file_response(call_id, "csv")


@bp.get(f"/port-calls/<int:call_id>/stored/{STORED}")
@permission_required("reports.read")
def stored(call_id: int, kind: str):
    """Download a file of the report stored when the call was closed."""
    return stored_response(call_id, kind)


@bp.post("/port-calls/<int:call_id>/stored/revise")
@permission_required("reports.revise")
def revise(call_id: int):
    """Store a revised copy of a closed call's report (records reached it after the close)."""
    outcome, _ = revise_stored_report(call_id)
    messages = {
        "queued": ("A revised report is being generated and stored.", "success"),
        "waiting": ("A revised report is already being generated.", "success"),
        "open": ("The report is stored when the port call is closed.", "error"),
    }
    flash(*messages[outcome])
    return redirect(url_for("reports.show", call_id=call_id))


@bp.post("/port-calls/<int:call_id>/sign-off")
@permission_required("reports.sign")
def sign(call_id: int):
    """Sign the report off with the hash of its records now."""
    db.get_or_404(PortCall, call_id)
    seen = request.form.get("content_hash")  # what the SSO read: a later change is not signed
    try:
        record = sign_off(db.session, call_id, user=current_user, now=utcnow(), seen_hash=seen)
    except BadInput as exc:
        flash(exc.message, "error")
    else:
        flash(f"Signed off; records hash {record.content_hash[:16]}…", "success")
    return redirect(url_for("reports.show", call_id=call_id))


@bp.post("/port-calls/<int:call_id>/email")
@permission_required("reports.send")
def email(call_id: int):
    """Mail the report PDF to the CSO and the PFSO."""
    report = readable_report(call_id)
    try:
        sent_to = email_report(current_app.config, report, render_report_pdf(report))
    except RuntimeError as exc:
        flash(str(exc), "error")
    except OSError as exc:
        flash(f"The mail server did not take the report: {exc}", "error")
    else:
        if sent_to:
            flash(f"Report mailed to {', '.join(sent_to)}.", "success")
        else:
            flash("Nobody to mail: set MAIL_CSO or a PFSO e-mail address on the call.", "error")
    return redirect(url_for("reports.show", call_id=call_id))
