"""Start the worker processes beside the web server and restart any that dies.

A worker that dies (kill -9, out of memory) leaves its job "running" with a lease nobody renews:
the supervisor ends that lease at once so the restarted worker claims the job again.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from gangway.background.queue import release_worker
from gangway.background.worker import PARENT_PID, worker_name
from gangway.db.types import utcnow
from gangway.extensions import db

log = logging.getLogger(__name__)
CHECK_EVERY = 0.2  # seconds between looks at the workers
JOB_WORKER = "gangway.background.worker"


class Workers:
    """N worker processes (`python -m gangway.background.worker`), kept running until stop();
    `module` names another process to keep running the same way (the shore link's sender)."""

    def __init__(
        self, app, count: int = 1, env: dict[str, str] | None = None, module: str = JOB_WORKER
    ):
        self.app, self.count, self.module = app, count, module
        self.env = {
            **os.environ,
            "GANGWAY_INSTANCE_PATH": app.instance_path,
            PARENT_PID: str(os.getpid()),
            **(env or {}),
        }
        self.processes: list[subprocess.Popen] = []
        self.restarts = 0
        self._stop = threading.Event()
        name = f"gangway-{module.rsplit('.', 1)[-1]}"
        self._thread = threading.Thread(target=self._watch, name=name, daemon=True)

    def start(self) -> Workers:
        """Start the workers and the thread that restarts them."""
        self.processes = [self._spawn() for _ in range(self.count)]
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        """Stop the workers (a job cut short is claimed again at the next start)."""
        self._stop.set()
        self._thread.join(timeout)
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", self.module], env=self.env)

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_EVERY):
            for i, process in enumerate(self.processes):
                if process.poll() is None or self._stop.is_set():
                    continue
                log.warning(
                    "%s %s ended (%s); restarting it", self.module, process.pid, process.returncode
                )
                if self.module == JOB_WORKER:
                    self._release(process.pid)
                self.processes[i] = self._spawn()
                self.restarts += 1

    def _release(self, pid: int) -> None:
        try:
            with self.app.app_context():
                release_worker(db.session, worker_name(pid), utcnow())
                db.session.remove()
        except Exception:  # the restarted worker still claims it when the lease runs out
            log.exception("Could not release the jobs of worker %s", pid)
