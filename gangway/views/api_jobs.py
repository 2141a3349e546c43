"""JSON API: the state of a long job (a list import) that answered 202 with this Location."""

from __future__ import annotations

import json
import uuid

from flask import abort, current_app, jsonify, url_for
from flask_login import current_user

from ..atomic_files import write_atomically
from ..auth import roles_required
from ..dbtypes import utcnow
from ..domain.crew_lists import parse_list
from ..extensions import db
from ..job_queue import request_job, result_path, uploads_dir
from ..job_worker import jobs_dir
from ..models import Job
from ..services.imports import ImportRefused
from .api_base import api_blueprint

bp = api_blueprint("api_jobs", __name__)
RETRY_AFTER = "1"


def queue_import(kind: str, data: bytes, *, dry_run: bool):
    """Queue a list import for the worker processes; answer 202 with its status's Location.

    :raises ImportRefused: the file is empty, not text, or its header is wrong (told at once).
    """
    first, _, rest = data.partition(b"\n")
    found = parse_list(kind, first).problems  # one line: instant; the rows are the worker's
    if problems := [p for p in found if p.line <= 1 or not rest.strip()]:
        raise ImportRefused(tuple(problems))
    name = f"{uuid.uuid4().hex}.csv"
    inputs = uploads_dir(jobs_dir(current_app))
    inputs.mkdir(parents=True, exist_ok=True)
    write_atomically(inputs / name, data)  # before the job exists: a worker may claim it at once
    key = f"list_import:{name}"  # every upload is its own job
    params = {"kind": kind, "input": name, "dry_run": dry_run, "user_id": current_user.id}
    job = request_job(db.session, "list_import", key, params, user_id=current_user.id, now=utcnow())
    return _state(job)


@bp.get("/jobs/<int:job_id>")
@roles_required("sso", "admin")  # who may import lists (views.lists)
def status(job_id: int):
    """Return a job's state: 202 while queued or running, then its result (or failure)."""
    job = db.get_or_404(Job, job_id)
    if job.requested_by != current_user.id:
        abort(404)  # another person's job: its existence is not theirs to know either
    return _state(job)


def _state(job: Job):
    location = url_for("api_jobs.status", job_id=job.id)
    body = {"job": job.id, "status": job.status, "location": location}
    if job.status == "done":
        path = result_path(jobs_dir(current_app), job)
        body["result"] = json.loads(path.read_text()) if path else None
    elif job.status == "failed":
        body["error"] = job.error
    response = jsonify(body)
    if job.status in ("queued", "running"):
        response.status_code = 202
        response.headers["Retry-After"] = RETRY_AFTER
        response.headers["Location"] = location
    response.headers["Cache-Control"] = "no-store"
    return response
