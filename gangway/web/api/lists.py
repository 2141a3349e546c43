"""JSON API for crew and passenger list imports (FAL Forms 5 and 6)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from gangway import keys
from gangway.background.queue import is_inline
from gangway.db.types import utcnow
from gangway.domain.lists.crew_lists import KINDS, template_csv
from gangway.extensions import db
from gangway.services.lists.imports import ImportRefused, apply_import, preview_import
from gangway.services.lists.jobs import queue_list
from gangway.web.api.base import api_blueprint
from gangway.web.api.jobs import job_state
from gangway.web.pages.people.list_uploads import ListTooLarge, csv_download, uploaded_csv
from gangway.web.roles import permission_required

bp = api_blueprint("api_lists", __name__)  # CSRF for session callers only, JSON errors


def for_each_kind(blueprint: Blueprint, rule: str, methods: list[str], kinds=KINDS):
    """Route a view once per kind of list, as literal paths (the role table lists each one)."""

    def decorator(view):
        for kind in kinds:
            path = rule.format(kind=kind)
            blueprint.add_url_rule(path, view_func=view, methods=methods, defaults={"kind": kind})
        return view

    return decorator


@for_each_kind(bp, "/imports/{kind}", ["POST"])
@permission_required("lists.import")
def import_list(kind: str):
    """Import a list sent as text/csv, .xlsx or multipart field 'file'; ?dry_run=1 previews.

    A worker process does it: the answer is 202 with the Location of its status (api_jobs).
    """
    data, dry_run = uploaded_csv(allow_body=True), request.args.get("dry_run") in ("1", "true")
    if not is_inline(
        current_app
    ):  # 202: a worker process reads the list (gangway.services.lists.jobs)
        return job_state(queue_list(kind, data, dry_run=dry_run))
    if dry_run:
        result = preview_import(db.session, kind, data, now=utcnow())
        if result.has_problems:
            raise ImportRefused(result.problems)
    else:
        signing = {"private_key": keys.signing_key(), "key_id": keys.KEY_ID}
        result = apply_import(db.session, kind, data, user=current_user, now=utcnow(), **signing)
    return jsonify(
        created=len(result.creates),
        updated=len(result.updates),
        unchanged=len(result.unchanged),
        warnings=[asdict(w) for w in result.warnings],
        dry_run=dry_run,
        sheet=result.sheet,
    )


@for_each_kind(bp, "/imports/{kind}/template.csv", ["GET"])
@permission_required("lists.import")
def api_template(kind: str):
    """Download the empty list: the header row only."""
    return csv_download(template_csv(kind), f"{kind}-list-template.csv")


@bp.errorhandler(ImportRefused)
def _refused(exc: ImportRefused):
    problems = [asdict(p) for p in exc.problems]
    return jsonify(error="invalid_list", message=exc.message, problems=problems), 422


@bp.errorhandler(ListTooLarge)
def _too_large(exc: ListTooLarge):
    return jsonify(error="too_large", field=exc.field, message=exc.message), 413
