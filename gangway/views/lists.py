"""Crew and passenger list imports (FAL Forms 5 and 6) for the SSO: pages and the JSON API."""

from __future__ import annotations

from dataclasses import asdict

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_htmx import make_response
from flask_login import current_user

from .. import keys
from ..auth import roles_required
from ..dbtypes import utcnow
from ..domain.crew_lists import KINDS, Problem, template_csv
from ..downloads import is_inline
from ..extensions import db, htmx
from ..htmx_support import render_page_or_fragment
from ..services import BadInput
from ..services.imports import (
    ImportPreview,
    ImportRefused,
    apply_import,
    export_crew,
    list_status,
    preview_import,
)
from .api_base import api_blueprint
from .api_jobs import queue_import

MAX_LIST_BYTES = 2 * 1024 * 1024  # 5,000 rows of FAL Form 6 take about 1 MB
LIST_ROLES = ("sso", "admin")
CSV_TYPES = ("text/csv", "application/csv", "text/plain")

bp = Blueprint("lists", __name__, url_prefix="/sso/lists")
api_bp = api_blueprint("api_lists", __name__)  # CSRF for session callers only, JSON errors


class ListTooLarge(BadInput):
    """The upload is over MAX_LIST_BYTES."""


def register(app):
    """Register the list pages and the list API on the app."""
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)


def for_each_kind(blueprint: Blueprint, rule: str, methods: list[str], kinds=KINDS):
    """Route a view once per kind of list, as literal paths (the role table lists each one)."""

    def decorator(view):
        for kind in kinds:
            path = rule.format(kind=kind)
            blueprint.add_url_rule(path, view_func=view, methods=methods, defaults={"kind": kind})
        return view

    return decorator


@for_each_kind(bp, "/{kind}", ["GET"])
@roles_required(*LIST_ROLES)
def index(kind: str):
    """Show the upload form and how many persons the list holds now."""
    return render_template("lists/index.html", **_page(kind, None))


@for_each_kind(bp, "/{kind}/preview", ["POST"])
@roles_required(*LIST_ROLES)
def preview(kind: str):
    """Show what importing the uploaded list would change, or every problem in it."""
    try:
        result = preview_import(db.session, kind, uploaded_csv(), now=utcnow())
    except BadInput as exc:
        result = _refusal(kind, exc)
    return _render(kind, result)


@for_each_kind(bp, "/{kind}/import", ["POST"])
@roles_required(*LIST_ROLES)
def apply(kind: str):
    """Import a previewed list, then return to the list page; a refused list shows why."""
    try:
        done = apply_import(db.session, kind, posted_text(), **_import_context())
    except BadInput as exc:
        return _render(kind, _refusal(kind, exc))
    counts = f"{len(done.creates)} added, {len(done.updates)} updated"
    flash(f"List imported: {counts}, {len(done.unchanged)} unchanged.", "info")
    page = url_for("lists.index", kind=kind)
    return make_response(redirect=page) if htmx else redirect(page)


@for_each_kind(bp, "/{kind}/template.csv", ["GET"])
@roles_required(*LIST_ROLES)
def template(kind: str):
    """Download the empty list: the header row only."""
    return csv_download(template_csv(kind), f"{kind}-list-template.csv")


@bp.get("/crew/export.csv")
@roles_required(*LIST_ROLES)
def export():
    """Download the crew list in the import layout (with a BOM, so Excel reads it as UTF-8)."""
    name = f"crew-list-{utcnow():%Y-%m-%d}.csv"
    return csv_download("\ufeff" + export_crew(db.session), name)


@for_each_kind(api_bp, "/imports/{kind}", ["POST"])
@roles_required(*LIST_ROLES)
def import_list(kind: str):
    """Import a list sent as text/csv or multipart field 'file'; ?dry_run=1 only previews.

    A worker process does it: the answer is 202 with the Location of its status (api_jobs).
    """
    data, dry_run = uploaded_csv(allow_body=True), request.args.get("dry_run") in ("1", "true")
    if not is_inline(current_app):  # 202: a worker process reads the list (gangway.job_kinds)
        return queue_import(kind, data, dry_run=dry_run)
    if dry_run:
        result = preview_import(db.session, kind, data, now=utcnow())
        if result.has_problems:
            raise ImportRefused(result.problems)
    else:
        result = apply_import(db.session, kind, data, **_import_context())
    return jsonify(
        created=len(result.creates),
        updated=len(result.updates),
        unchanged=len(result.unchanged),
        warnings=[asdict(w) for w in result.warnings],
        dry_run=dry_run,
    )


@for_each_kind(api_bp, "/imports/{kind}/template.csv", ["GET"])
@roles_required(*LIST_ROLES)
def api_template(kind: str):
    """Download the empty list: the header row only."""
    return csv_download(template_csv(kind), f"{kind}-list-template.csv")


@api_bp.errorhandler(ImportRefused)
def _refused(exc: ImportRefused):
    problems = [asdict(p) for p in exc.problems]
    return jsonify(error="invalid_list", message=exc.message, problems=problems), 422


@api_bp.errorhandler(ListTooLarge)
def _too_large(exc: ListTooLarge):
    return jsonify(error="too_large", field=exc.field, message=exc.message), 413


def uploaded_csv(*, allow_body: bool = False) -> bytes:
    """Return the list from the multipart field 'file' (or, for the API, a CSV body).

    :raises BadInput: nothing sent, or more than MAX_LIST_BYTES.
    """
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(MAX_LIST_BYTES + 1)
    elif allow_body and request.mimetype in CSV_TYPES:
        data = request.get_data()
    else:
        how = "as the multipart field 'file' or a text/csv body" if allow_body else "to check"
        raise BadInput("file", f"Choose a CSV file {how}.")
    _check_size(len(data))
    return data


def posted_text() -> str:
    """Return the list text a confirm form posts back.

    :raises ListTooLarge: more than MAX_LIST_BYTES.
    """
    text = request.form.get("text", "")
    _check_size(len(text.encode()))
    return text


def _check_size(size: int) -> None:
    if size > MAX_LIST_BYTES:
        mb = MAX_LIST_BYTES // (1024 * 1024)
        raise ListTooLarge("file", f"The file is larger than {mb} MB: split the list.")


def csv_download(text: str, filename: str) -> Response:
    """Return CSV text as a file download."""
    disposition = f'attachment; filename="{filename}"'
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": disposition})


def _page(kind: str, result: ImportPreview | None) -> dict:
    return {"kind": kind, "status": list_status(db.session, kind), "preview": result}


def _refusal(kind: str, exc: BadInput) -> ImportPreview:
    """Return a preview showing why nothing can be imported."""
    problems = getattr(exc, "problems", None) or (Problem(0, None, exc.message),)
    return ImportPreview(kind, "", problems)


def _render(kind: str, result: ImportPreview):
    """Render the preview fragment for htmx, the list page with the preview otherwise."""
    return render_page_or_fragment("lists/index.html", "lists/_preview.html", **_page(kind, result))


def _import_context() -> dict:
    """Return who imports, when, and the key that signs new crew badges."""
    return {
        "user": current_user,
        "now": utcnow(),
        "private_key": keys.signing_key(),
        "key_id": keys.KEY_ID,
    }
