"""Background jobs: one daemon worker thread per app and kind of job, fed by a bounded queue.

A request only puts a job's id on the queue (no I/O, never blocks) after its own work is
committed, so a slow mail server or a long report never slows the answer nor undoes the work.
Used by the SSO's refusal alerts (gangway.background.mail) and the closed port call's report
(gangway.background.snapshot_job).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class JobRunner:
    """Run `handle(app, job)` for each submitted job on the app's worker, one at a time.

    The worker is kept in app.extensions[name]; it starts on the first job, and again when its
    thread is gone (after a fork). `mode_key` names a config key whose value "inline" runs the
    job in the caller instead; it defaults to "inline" under TESTING, so that no job outlives a
    test's database. Without `mode_key` jobs always go to the thread.
    """

    def __init__(
        self,
        name: str,
        handle: Callable[[object, int], None],
        *,
        queue_size: int,
        thread_name: str,
        mode_key: str | None = None,
    ):
        self.name = name
        self.handle = handle
        self.queue_size = queue_size
        self.thread_name = thread_name
        self.mode_key = mode_key
        self._start_lock = threading.Lock()

    def is_inline(self, app) -> bool:
        """Tell whether jobs run in the caller (the mode key's "inline", the default in tests)."""
        if self.mode_key is None:
            return False
        mode = app.config.get(self.mode_key) or ("inline" if app.testing else "thread")
        return mode == "inline"

    def submit(self, app, job: int) -> None:
        """Run the job now when inline, else queue it and return at once.

        :raises queue.Full: the queue holds `queue_size` jobs already.
        :raises RuntimeError: no worker thread could be started.
        """
        if self.is_inline(app):
            self.handle(app, job)
            return
        self._worker(app).jobs.put_nowait(job)

    def wait_until_idle(self, app, timeout: float) -> bool:
        """Wait until every queued job is done; return False on timeout (for tests)."""
        worker = app.extensions.get(self.name)
        if worker is None:
            return True
        deadline = time.monotonic() + timeout
        with worker.jobs.all_tasks_done:
            while worker.jobs.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                worker.jobs.all_tasks_done.wait(left)
        return True

    def _worker(self, app) -> _Worker:
        with self._start_lock:
            worker = app.extensions.get(self.name)
            if worker is None or not worker.thread.is_alive():
                worker = app.extensions[self.name] = _Worker(self, app)
            return worker


class _Worker:
    """One daemon thread running one app's queued jobs."""

    def __init__(self, runner: JobRunner, app):
        self.runner, self.app = runner, app
        self.jobs: queue.Queue[int] = queue.Queue(maxsize=runner.queue_size)
        self.thread = threading.Thread(target=self._run, name=runner.thread_name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                self.runner.handle(self.app, job)
            except Exception:  # handlers log their own failures; the worker must survive
                log.exception("Background job %s of %s failed", job, self.runner.name)
            finally:
                self.jobs.task_done()
