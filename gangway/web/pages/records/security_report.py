"""The pre-arrival Security Report's page: the next port's details in, the form out (read only)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, make_response, render_template, request
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.reports.security_report import make_security_report
from gangway.web.downloads import deferred_download
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import permission_required

bp = Blueprint("security_report", __name__, url_prefix="/sso/security-report")
PARAMS = ("unlocode", "facility", "eta", "purpose", "other")


def report_args(args) -> dict:
    """Read the query's parameters; anything else is refused, so that nobody can pass a value
    that looks like one derived from the records.

    :raises BadInput: an unknown parameter, or an ETA that is no time.
    """
    unknown = sorted(set(args) - set(PARAMS))
    if unknown:
        raise BadInput(
            unknown[0],
            f"'{unknown[0]}' cannot be given: every value but the port of arrival, the ETA, "
            "the purpose and 3.5 (other) comes from the records.",
        )
    values = {name: args.get(name) for name in PARAMS}
    values["eta"] = parse_utc(values, "eta")
    return values


def report_from_args(args) -> dict:
    """Make the report from the query's parameters (see report_args)."""
    return make_security_report(db.session, **report_args(args), user=current_user, now=utcnow())


@bp.get("/")
@permission_required("security_report.read")
def index():
    """Show the form for the next port and, once it is filled in, the report."""
    form = _form(request.args)
    if not request.args:
        return _page(form=form)
    try:
        report = report_from_args(request.args)
    except BadInput as exc:
        return _page(form=form, error=exc), bad_input_status()
    return _page(form=form, report=report)


@bp.get("/report.pdf")
@permission_required("security_report.read")
def pdf():
    """Download the report as a PDF, made by a worker process (gangway.web.downloads)."""
    args = {k: v for k, v in request.args.items() if k != "job"}  # the download's own poll
    try:
        report_from_args(args)  # bad input is a 400 now, not a failed job later
    except BadInput as exc:
        return _page(form=_form(args), error=exc), 400
    values = {**report_args(args), "eta": parse_utc(args, "eta").isoformat()}
    params = {"user_id": current_user.id, "args": values}
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    key = f"security_report_pdf:{digest}"  # the same request while one is made joins it
    return deferred_download("security_report_pdf", key, params, what="the Security Report PDF")


@bp.get("/report.html")
@permission_required("security_report.read")
def html():
    """Download the report as one self-contained HTML file, laid out like the page."""
    try:
        report = report_from_args(request.args)
    except BadInput as exc:
        return _page(form=_form(request.args), error=exc), 400
    css = (Path(current_app.static_folder) / "css" / "security_report.css").read_text("utf-8")
    response = make_response(render_template("security_report/file.html", report=report, css=css))
    name = f"security-report-{request.args['unlocode'].upper()}.html"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _form(args) -> dict:
    return {name: args.get(name, "") for name in PARAMS}


def _page(*, form: dict, report: dict | None = None, error: BadInput | None = None):
    return render_page_or_fragment(
        "security_report/index.html",
        "security_report/_document.html",
        form=form,
        report=report,
        error=error,
    )
