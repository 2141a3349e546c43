"""Crew and passenger lists (CSV or .xlsx) are read and imported by a job (job_kinds.list_import).

A 5,000-row list takes seconds to check and to write: in the serving process that is seconds of
queued scans. A request only refuses what one line shows (no file, a wrong header), stores the
upload and queues the job; the API answers 202 with the job's status, the SSO's page polls it.
The SSO's check keeps its upload, so confirming imports exactly the file that was checked.
Under JOBS = "inline" (the default in tests) the job runs in the request, the same way.
"""

from __future__ import annotations

import json
import uuid

from flask import current_app
from flask_login import current_user
from sqlalchemy import select

from gangway.background.queue import is_inline, request_job, result_path, uploads_dir
from gangway.background.worker import jobs_dir, run_inline
from gangway.db.atomic_files import write_atomically
from gangway.db.models import Job
from gangway.db.types import utcnow
from gangway.domain.lists.crew_lists import parse_list
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.lists.imports import ImportRefused
from gangway.services.lists.workbooks import check_workbook, is_workbook

KIND = "list_import"


class CheckGone(BadInput):
    """The checked list cannot be imported any more (imported already, or deleted since)."""


def queue_list(kind: str, data: bytes, *, dry_run: bool, keep_input: bool = False) -> Job:
    """Store the upload and queue its check (dry_run) or import; return the job.

    :param keep_input: keep the upload after a check, for `queue_confirmed`.
    :raises ImportRefused: the file is empty, not text, or its header is wrong; a workbook
        holds macros or unpacks too large (told at once; a workbook's sheets are the worker's).
    """
    if is_workbook(data):
        if problems := check_workbook(data):  # the zip's directory only: instant
            raise ImportRefused(problems)
    else:
        first, _, rest = data.partition(b"\n")
        found = parse_list(kind, first).problems  # one line: instant; the rows are the worker's
        if problems := [p for p in found if p.line <= 1 or not rest.strip()]:
            raise ImportRefused(tuple(problems))
    name = f"{uuid.uuid4().hex}.{'xlsx' if is_workbook(data) else 'csv'}"
    inputs = uploads_dir(jobs_dir(current_app))
    inputs.mkdir(parents=True, exist_ok=True)
    write_atomically(inputs / name, data)  # before the job exists: a worker may claim it at once
    params = {"kind": kind, "input": name, "dry_run": dry_run, "keep_input": keep_input}
    return _queue(f"{KIND}:{name}", params)  # every upload is its own job


def queue_confirmed(check: Job) -> Job:
    """Queue the import of the list `check` found importable; a second confirm joins it.

    :raises CheckGone: it was imported already (that import is returned instead), or its
        upload was deleted since (older than a day).
    """
    params = json.loads(check.params)
    key = f"{KIND}:import:{params['input']}"
    earlier = db.session.scalars(select(Job).where(Job.key == key).order_by(Job.id.desc())).first()
    if earlier is not None:
        return earlier  # queued, running or done: the same import, never a second one
    if not (uploads_dir(jobs_dir(current_app)) / params["input"]).is_file():
        raise CheckGone("check", "This check is too old to import: check the file again.")
    return _queue(key, {**params, "dry_run": False, "keep_input": False})


def users_list_job(job_id: int, kind: str | None = None) -> Job | None:
    """Return the current user's list job `job_id` (of this kind of list), else None."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or job.requested_by != current_user.id:
        return None  # another person's job: its existence is not theirs to know either
    return job if kind is None or json.loads(job.params)["kind"] == kind else None


def job_result(job: Job) -> dict | None:
    """Return what a done job found or did (gangway.background.kinds.list_import), if still kept."""
    path = result_path(jobs_dir(current_app), job)
    return json.loads(path.read_text()) if path else None


def _queue(key: str, params: dict) -> Job:
    params["user_id"] = current_user.id
    job = request_job(db.session, KIND, key, params, user_id=current_user.id, now=utcnow())
    if is_inline(current_app) and job.status == "queued":
        run_inline(current_app._get_current_object(), job)
    return job
