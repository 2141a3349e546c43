"""The end-of-port-call report: page, PDF, CSV zip, the SSO's sign-off and mailing it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_login import current_user

from ..auth import roles_required
from ..dbtypes import utcnow
from ..extensions import db
from ..models import PortCall
from ..reports.csv_zip import render_csv_zip
from ..reports.html import render_report_html
from ..reports.mailing import email_report
from ..reports.pdf import render_report_pdf
from ..services.port_call_report import build_report, may_read, sign_off, signature_state

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = ("sso", "master", "pfso")


def readable_report(call_id: int):
    """Return the call's report, or abort with 404 (no call) or 403 (another facility's)."""
    call = db.get_or_404(PortCall, call_id)
    if not may_read(current_user, call):
        abort(403)
    return build_report(db.session, call_id)


def html_response(call_id: int):
    """Return the report page."""
    report = readable_report(call_id)
    state = signature_state(db.session, call_id, report=report)
    return render_report_html(report, state, can_sign=current_user.role == "sso")


def file_response(call_id: int, kind: str):
    """Return the report as a PDF or a zip of CSV files, as a download."""
    report = readable_report(call_id)
    if kind == "pdf":
        body, mimetype, name = render_report_pdf(report), "application/pdf", "report.pdf"
    else:
        body, mimetype, name = render_csv_zip(report), "application/zip", "records.csv.zip"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="port-call-{call_id}-{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/port-calls/<int:call_id>")
@roles_required(*READERS)
def show(call_id: int):
    """Show the report, with its sign-off state."""
    return html_response(call_id)


@bp.get("/port-calls/<int:call_id>.pdf")
@roles_required(*READERS)
def pdf(call_id: int):
    """Download the report as a PDF."""
    return file_response(call_id, "pdf")


@bp.get("/port-calls/<int:call_id>.csv.zip")
@roles_required(*READERS)
def csv_zip(call_id: int):
    """Download the call's records as CSV files in a zip."""
    return file_response(call_id, "csv")


@bp.post("/port-calls/<int:call_id>/sign-off")
@roles_required("sso")
def sign(call_id: int):
    """Sign the report off with the hash of its records now."""
    db.get_or_404(PortCall, call_id)
    record = sign_off(db.session, call_id, user=current_user, now=utcnow())
    flash(f"Signed off; records hash {record.content_hash[:16]}…", "success")
    return redirect(url_for("reports.show", call_id=call_id))


@bp.post("/port-calls/<int:call_id>/email")
@roles_required("sso")
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
