"""A worker process for slow image work, so a photo never holds the process that serves scans.

The work stays synchronous for the request that sent it, but its CPU is spent in a child (at a
lower priority). The child is spawned (never forked from a process with threads) on first use in
each serving process, and made again when it dies or a job runs past its timeout (it is then
killed: a stuck job would hold a core).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import get_context
from multiprocessing.util import Finalize

from gangway.imaging.images import ImageRejected

log = logging.getLogger(__name__)
BROKEN = "The photo could not be read just now. Take it again."


class WorkerPool:
    """One child process per serving process, for one kind of work (`what` names it in logs)."""

    def __init__(self, what: str, *, nice: int, too_slow: str, single_thread: bool = False):
        self.what, self.nice, self.too_slow, self.single_thread = (
            what,
            nice,
            too_slow,
            single_thread,
        )
        self._lock = threading.Lock()
        self.executor: ProcessPoolExecutor | None = None
        self._pid: int | None = None

    def run(self, work: Callable, *args, timeout: float, **kwargs):
        """Return work(*args, **kwargs) done in the child within `timeout` seconds.

        :raises ImageRejected: the work's own refusal, too slow (the child is killed), or the
            child died.
        """
        pool = self._get()
        future = pool.submit(work, *args, **kwargs)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            log.warning("%s ran over %s s; its process is stopped", self.what, timeout)
            self._reset(pool, kill=True)
            raise ImageRejected(self.too_slow) from None
        except BrokenProcessPool:
            self._reset(pool, kill=False)
            raise ImageRejected(BROKEN) from None

    def warm(self, work: Callable) -> None:
        """Start the child now and have it run `work` (e.g. load a model), without waiting."""
        self._get().submit(work)

    def shutdown(self) -> None:
        """Stop this process's child (after tests; at exit it is killed)."""
        with self._lock:
            pool = self.executor
        if pool is not None:
            self._reset(pool, kill=False)

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self.executor is None or self._pid != os.getpid():
                start = partial(_lower_priority, self.nice, self.single_thread)
                self.executor = ProcessPoolExecutor(
                    1, mp_context=get_context("spawn"), initializer=start
                )
                if self._pid != os.getpid():
                    # A granian worker is itself a multiprocessing child: at its exit it joins
                    # its children before Python's own exit hooks would stop the pool (a hang).
                    Finalize(None, self._stop_at_exit, exitpriority=10)
                    atexit.register(self._stop_at_exit)
                self._pid = os.getpid()
            return self.executor

    def _reset(self, pool: ProcessPoolExecutor, *, kill: bool) -> None:
        with self._lock:
            if self.executor is pool:
                self.executor = None
        if kill:  # no public API to stop a running child
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _stop_at_exit(self) -> None:
        with self._lock:
            pool = self.executor
        if pool is not None:
            self._reset(pool, kill=True)


def _lower_priority(nice: int, single_thread: bool) -> None:
    os.nice(nice)
    if single_thread:  # the OCR model's runtime would otherwise start a thread per core
        os.environ["OMP_NUM_THREADS"] = "1"
