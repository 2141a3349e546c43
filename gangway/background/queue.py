"""The durable job table: enqueue or join, claim with a lease, finish, fail, retry.

A web request only inserts a row (or finds the one already queued for the same thing); worker
processes (background.worker) claim rows with a lease they renew while working. A worker killed
mid-job stops renewing: its lease runs out (or the supervisor ends it at once) and another worker
claims the job again, up to MAX_ATTEMPTS times, after which the job is failed with that reason.
Claiming is one conditional UPDATE, so two workers never run the same job at once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from gangway.db.models import Job

MAX_ATTEMPTS = 3
LEASE = timedelta(seconds=30)  # renewed every LEASE / 3 while the job runs
KEPT = timedelta(days=1)  # a finished job's file is deleted after this
ACTIVE = ("queued", "running")
KEY_LENGTH = 200  # Job.key's column: PostgreSQL refuses a longer value (SQLite would keep it)


def job_key(key: str) -> str:
    """Return `key` as stored: a long one (filters typed at length) ends in its SHA-256."""
    if len(key) <= KEY_LENGTH:
        return key
    return key[: KEY_LENGTH - 65] + ":" + hashlib.sha256(key.encode()).hexdigest()


def request_job(session, kind: str, key: str, params: dict, *, user_id, now: datetime) -> Job:
    """Return the queued or running job for `key` (join it), else queue a new one; commit."""
    key = job_key(key)
    job = active_job(session, key)
    if job is not None:
        return job
    job = Job(
        kind=kind,
        key=key,
        active_key=key,
        params=json.dumps(params, sort_keys=True),
        status="queued",
        attempts=0,
        requested_by=user_id,
        requested_at=now,
    )
    session.add(job)
    try:
        session.commit()
    except IntegrityError:  # another request queued the same thing just now: join it
        session.rollback()
        job = active_job(session, key)
        if job is None:
            raise
    return job


def active_job(session, key: str) -> Job | None:
    """Return the queued or running job for `key`, if any."""
    return session.scalars(select(Job).where(Job.active_key == job_key(key))).first()


def job_for_key(session, job_id: int, key: str) -> Job | None:
    """Return job `job_id` if it was made for `key` (a job id never opens another's file)."""
    job = session.get(Job, job_id)
    return job if job is not None and job.key == job_key(key) else None


def claim_next(session, worker: str, now: datetime) -> Job | None:
    """Claim the oldest queued job, or one whose worker stopped renewing its lease; commit.

    A job whose lease ran out after MAX_ATTEMPTS claims is failed instead (it kills workers).
    """
    stale = (Job.status == "running") & (Job.claimed_until < now)
    candidates = session.scalars(
        select(Job.id).where(or_(Job.status == "queued", stale)).order_by(Job.id).limit(5)
    ).all()
    for job_id in candidates:
        job = session.get(Job, job_id)
        session.refresh(job)
        if job.status == "running" and job.attempts >= MAX_ATTEMPTS:
            times = f"{job.attempts} times" if job.attempts > 1 else "once"
            fail_job(session, job.id, f"The worker making it stopped ({times}).", now)
            continue
        if claim(session, job, worker, now):
            return job
    return None


def claim(session, job: Job, worker: str, now: datetime) -> bool:
    """Claim this job if it is queued or its lease ran out (one conditional UPDATE); commit."""
    stale = (Job.status == "running") & (Job.claimed_until < now)
    claimed = session.execute(
        update(Job)
        .where(Job.id == job.id, or_(Job.status == "queued", stale))
        .values(
            status="running",
            claimed_by=worker,
            claimed_until=now + LEASE,
            attempts=Job.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    session.refresh(job)
    return claimed == 1


def renew_lease(connection, job_id: int, worker: str, now: datetime) -> bool:
    """Extend a running job's lease if this worker still holds it (autocommitted by the caller)."""
    result = connection.execute(
        update(Job)
        .where(Job.id == job_id, Job.claimed_by == worker, Job.status == "running")
        .values(claimed_until=now + LEASE)
    )
    return result.rowcount == 1


def finish_job(session, job_id: int, worker: str, file_name: str, mimetype: str, now) -> bool:
    """Mark the job done with its file, if this worker still holds it; commit."""
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.claimed_by == worker, Job.status == "running")
        .values(
            status="done", active_key=None, finished_at=now, file_name=file_name, mimetype=mimetype
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return done == 1


def fail_job(session, job_id: int, error: str, now: datetime) -> None:
    """Mark the job failed with the reason in words (shown to the person who asked); commit."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(ACTIVE))
        .values(status="failed", active_key=None, finished_at=now, error=error[:300])
        .execution_options(synchronize_session=False)
    )
    session.commit()


def release_worker(session, worker: str, now: datetime) -> int:
    """End the leases of a worker that died, so its jobs are claimed again at once; commit."""
    released = session.execute(
        update(Job)
        .where(Job.claimed_by == worker, Job.status == "running")
        .values(claimed_until=now - timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return released


def job_folder(jobs_dir: Path, job_id: int) -> Path:
    """Return the folder a job writes its file in."""
    return Path(jobs_dir) / str(job_id)


def uploads_dir(jobs_dir: Path) -> Path:
    """Return the folder where uploads wait for their job (a list to import)."""
    return Path(jobs_dir) / "uploads"


def result_path(jobs_dir: Path, job: Job) -> Path | None:
    """Return a done job's file if it is still on disk."""
    if job.status != "done" or not job.file_name:
        return None
    path = job_folder(jobs_dir, job.id) / job.file_name
    return path if path.is_file() else None


def prune(session, jobs_dir: Path, now: datetime) -> int:
    """Delete jobs finished more than KEPT ago, with their files, and uploads never imported
    (a list checked but not confirmed); commit."""
    old = session.scalars(
        select(Job).where(Job.status.in_(("done", "failed")), Job.finished_at < now - KEPT)
    ).all()
    for job in old:
        shutil.rmtree(job_folder(jobs_dir, job.id), ignore_errors=True)
        session.delete(job)
    session.commit()
    cutoff = (now - KEPT).timestamp()
    for upload in uploads_dir(jobs_dir).glob("*.csv"):
        if upload.stat().st_mtime < cutoff:
            upload.unlink(missing_ok=True)
    return len(old)


def is_inline(app) -> bool:
    """Tell whether long work runs in the request (JOBS = "inline", the default in tests)."""
    return (app.config.get("JOBS") or ("inline" if app.testing else "process")) == "inline"
