"""Crew and passenger list imports (FAL Forms 5 and 6): the SSO's pages.

Checking and importing run as jobs (services.lists.jobs): the upload answers at once with the
check's state, which polls itself until the worker has read the list; confirming imports the
file that was checked, in another job, then returns to the list page with what changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_htmx import make_response

from gangway.db.models import Job
from gangway.db.types import utcnow
from gangway.domain.lists.countries import ALPHA_3, FORMS
from gangway.domain.lists.crew_lists import Problem, template_csv
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.lists.exports import export_crew, export_crew_workbook
from gangway.services.lists.imports import list_status
from gangway.services.lists.jobs import (
    CheckGone,
    job_result,
    queue_confirmed,
    queue_list,
    users_list_job,
)
from gangway.web.api.lists import bp as api_bp
from gangway.web.api.lists import for_each_kind
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.pages.people.list_uploads import csv_download, uploaded_csv, workbook_download
from gangway.web.roles import permission_required

bp = Blueprint("lists", __name__, url_prefix="/sso/lists")
PROBLEMS_SHOWN = 200  # a file with more has a systematic fault: the first ones show it


def register(app):
    """Register the list pages and the list API on the app."""
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)


@for_each_kind(bp, "/{kind}", ["GET"])
@permission_required("lists.import")
def index(kind: str):
    """Show the upload form and how many persons the list holds now."""
    return _render(kind)


@for_each_kind(bp, "/{kind}/preview", ["POST"])
@permission_required("lists.import")
def preview(kind: str):
    """Check the uploaded list: what importing it would change, or every problem in it."""
    try:
        job = queue_list(kind, uploaded_csv(), dry_run=True, keep_input=True)
    except BadInput as exc:
        return _render(kind, result=_refusal(exc))
    return _answer(kind, job)


@for_each_kind(bp, "/{kind}/import", ["POST"])
@permission_required("lists.import")
def apply(kind: str):
    """Import the list a check found importable; a second tap joins the first import."""
    check = users_list_job(request.form.get("check", type=int) or 0, kind)
    if check is None:
        return _render(kind, result=_refusal(BadInput("check", "Check the file first.")))
    found = job_result(check) if check.status == "done" else None
    if not found or found["outcome"] != "previewed":
        return _answer(kind, check)  # not importable: the check's own state says why
    try:
        job = queue_confirmed(check)
    except CheckGone as exc:
        return _render(kind, result=_refusal(exc))
    return _answer(kind, job)


@for_each_kind(bp, "/{kind}/jobs/<int:job_id>", ["GET"])
@permission_required("lists.import")
def job(kind: str, job_id: int):
    """Show a check or an import under way, then what it found (htmx polls this)."""
    found = users_list_job(job_id, kind)
    if found is None:
        abort(404)
    return _answer(kind, found)


@for_each_kind(bp, "/{kind}/template.csv", ["GET"])
@permission_required("lists.import")
def template(kind: str):
    """Download the empty list: the header row only."""
    return csv_download(template_csv(kind), f"{kind}-list-template.csv")


@bp.get("/crew/export.csv")
@permission_required("lists.export")
def export():
    """Download the crew list in the import layout (with a BOM, so Excel reads it as UTF-8)."""
    name = f"crew-list-{utcnow():%Y-%m-%d}.csv"
    return csv_download("\ufeff" + export_crew(db.session, _countries()), name)


@bp.get("/crew/export.xlsx")
@permission_required("lists.export")
def export_workbook():
    """Download the crew list in the import layout as an Excel workbook."""
    name = f"crew-list-{utcnow():%Y-%m-%d}.xlsx"
    return workbook_download(export_crew_workbook(db.session, _countries()), name)


def _countries() -> str:
    """Return how an export writes countries: ?countries=alpha-3 (the default) or alpha-2."""
    form = request.args.get("countries", ALPHA_3)
    if form not in FORMS:
        abort(400, description=f"countries is {' or '.join(FORMS)}, not '{form[:20]}'.")
    return form


def _answer(kind: str, job: Job):
    """Answer with a job's state: a done import returns to the list page with its counts; a
    form posted without htmx is redirected to the job's page (reloading it uploads nothing)."""
    result = job_result(job) if job.status == "done" else None
    if result and result["outcome"] == "imported":
        counts = f"{result['created']} added, {result['updated']} updated"
        flash(f"List imported: {counts}, {result['unchanged']} unchanged.", "info")
        page = url_for("lists.index", kind=kind)
        return make_response(redirect=page) if htmx else redirect(page, 303)
    if request.method == "POST" and not htmx:
        return redirect(url_for("lists.job", kind=kind, job_id=job.id), 303)
    return _render(kind, job=job, result=result)


def _refusal(exc: BadInput) -> dict:
    """Return a result showing why nothing can be checked or imported."""
    problems = getattr(exc, "problems", None)
    shown = [asdict(p) for p in problems or (Problem(0, None, exc.message),)]
    return {"outcome": "refused", "problems": shown}


def _render(kind: str, job: Job | None = None, result: dict | None = None):
    """Render the check's fragment for htmx, the list page with it otherwise."""
    return render_page_or_fragment(
        "lists/index.html",
        "lists/_preview.html",
        kind=kind,
        status=list_status(db.session, kind),
        job=job,
        state=_state(job, result),
        result=result,
        importing=job is not None and not json.loads(job.params)["dry_run"],
        PROBLEMS_SHOWN=PROBLEMS_SHOWN,
    )


def _state(job: Job | None, result: dict | None) -> str | None:
    if job is None or result is not None:
        return None
    return "expired" if job.status == "done" else job.status  # queued, running, failed
