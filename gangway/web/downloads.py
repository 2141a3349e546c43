"""Long downloads keep their URL: 202 + Retry-After + Location until the file is made, then 200.

The first GET queues a job (or joins the one already queued for the same file) and answers 202
with `Location` = the same URL plus `?job=<id>`; asking there answers 202 while the job is queued
or running, 200 with the file when done, 503 with the reason when it failed. A browser gets a
page that polls with htmx and offers the file when ready. Under JOBS = "inline" (the default in
tests) the file is made in the request and sent at once, as before.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import abort, current_app, jsonify, render_template, request, send_file, url_for
from flask_login import current_user

from gangway.background.kinds import MAKERS
from gangway.background.queue import is_inline, job_for_key, request_job, result_path
from gangway.background.worker import jobs_dir
from gangway.db.types import utcnow
from gangway.extensions import db, htmx

RETRY_AFTER = "1"


def deferred_download(kind: str, key: str, params: dict, *, what: str, inline: bool = False):
    """Answer a long download: the file when made, else where and when to ask again.

    :param key: names the file's content: requests with the same key share one job.
    :param what: the file in words, for the progress page ("the report PDF").
    :param inline: shown in the browser (a sheet to print), not saved as an attachment.
    """
    if is_inline(current_app):
        return _made_now(kind, params, inline)

    def send(path: Path, job):
        return _file(path, job.mimetype, job.file_name, inline=inline)

    return deferred_result(kind, key, params, what=what, answer=send)


def deferred_result(kind: str, key: str, params: dict, *, what: str, answer, page=False):
    """Answer with `answer(path, job)` once the job's file is made, else with its progress.

    :param page: the result is a page: htmx's poll then moves the browser to it.
    """
    job_id = request.args.get("job", type=int)
    if job_id is None:
        job = request_job(db.session, kind, key, params, user_id=current_user.id, now=utcnow())
    elif (job := job_for_key(db.session, job_id, key)) is None:
        abort(404)
    if job.status == "done":
        path = result_path(jobs_dir(current_app), job)
        if path is not None and not htmx:
            return answer(path, job)
        if path is not None:  # the polling fragment offers the file; it never swaps it in
            return _progress(job, what, ready=True, page=page)
    return _progress(job, what)


def _made_now(kind: str, params: dict, inline: bool):
    with tempfile.TemporaryDirectory() as folder:
        name, mimetype = MAKERS[kind](db.session, params, Path(folder))
        return _file(Path(folder) / name, mimetype, name, in_memory=True, inline=inline)


def _file(path: Path, mimetype: str, name: str, *, in_memory: bool = False, inline=False):
    """Send the file (streamed from disk: a log export may be hundreds of MB) as a download."""
    if in_memory:
        response = current_app.response_class(path.read_bytes(), mimetype=mimetype)
    else:
        response = send_file(path, mimetype=mimetype, conditional=False, etag=False)
    response.headers["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{name}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _progress(job, what: str, *, ready: bool = False, page: bool = False):
    """Answer 202 (queued, running), 503 (failed), 410 (its file was deleted since) or, to
    htmx's poll, 200 with the link to the file."""
    args = {**request.view_args, **request.args.to_dict(), "job": job.id}
    location = url_for(request.endpoint, **args)
    again = url_for(request.endpoint, **{k: v for k, v in args.items() if k != "job"})
    if job.status in ("queued", "running"):
        status, state = 202, job.status
    elif job.status == "failed":
        status, state = 503, "failed"
    elif ready:
        status, state = 200, "ready"
    else:
        status, state = 410, "expired"
    if request.blueprint and request.blueprint.startswith("api"):
        body = jsonify(job=job.id, status=state, error=job.error, location=location, retry=again)
    else:
        template = "jobs/_progress.html" if htmx else "jobs/progress.html"
        body = render_template(
            template, job=job, state=state, what=what, location=location, again=again
        )
    response = current_app.make_response((body, status))
    if ready and page:
        response.headers["HX-Redirect"] = location  # open the page now it is made
    if status == 202:
        response.headers["Retry-After"] = RETRY_AFTER
        response.headers["Location"] = location
    response.headers["Cache-Control"] = "no-store"
    return response
