"""JSON API: the state of a long job (a list import) that answered 202 with this Location."""

from __future__ import annotations

from flask import abort, jsonify, url_for

from gangway.db.models import Job
from gangway.services.lists.jobs import job_result, users_list_job
from gangway.web.api.base import api_blueprint
from gangway.web.roles import permission_required

bp = api_blueprint("api_jobs", __name__)
RETRY_AFTER = "1"


@bp.get("/jobs/<int:job_id>")
@permission_required("lists.import")
def status(job_id: int):
    """Return a job's state: 202 while queued or running, then its result (or failure)."""
    job = users_list_job(job_id)
    if job is None:
        abort(404)  # none, or another person's: its existence is not theirs to know either
    return job_state(job)


def job_state(job: Job):
    """Answer with a job's state: 202 + Location while it runs, then its result or error."""
    location = url_for("api_jobs.status", job_id=job.id)
    body = {"job": job.id, "status": job.status, "location": location}
    if job.status == "done":
        body["result"] = job_result(job)
    elif job.status == "failed":
        body["error"] = job.error
    response = jsonify(body)
    if job.status in ("queued", "running"):
        response.status_code = 202
        response.headers["Retry-After"] = RETRY_AFTER
        response.headers["Location"] = location
    response.headers["Cache-Control"] = "no-store"
    return response
