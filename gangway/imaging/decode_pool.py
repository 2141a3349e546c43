"""Photo decodes in a pool of worker processes, so a 12 MP photo never holds the scan process.

A decode is part of a scan (the watch waits for its verdict), so it stays synchronous for the
request that sent it, but its ~0.3-1 s of CPU runs in another process (at nice 10): the scan
process's interpreter stays free for the other tablets. The pool is made on first use in each
serving process (spawned, never forked from a process with threads) and made again when a
child dies or a decode runs past its timeout (its child is then killed).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from multiprocessing.util import Finalize

from gangway.imaging.decode import ImageRejected, decode_image

log = logging.getLogger(__name__)
PROCESSES = 1  # per serving process: decodes are a few a minute at a gangway
TOO_SLOW = "The photo took too long to read. Take it again, closer and in the light."
BROKEN = "The photo could not be read just now. Take it again."

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def decode_in_pool(data: bytes, *, max_bytes: int, max_pixels: int, timeout: float) -> list[str]:
    """Return decode_image's texts, decoded in a child process within `timeout` seconds.

    :raises ImageRejected: the upload is not a usable image, too slow to read, or the child died.
    """
    pool = _get_pool()
    future = pool.submit(decode_image, data, max_bytes=max_bytes, max_pixels=max_pixels)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        log.warning("Photo decode ran over %s s; its process is stopped", timeout)
        _reset(pool, kill=True)
        raise ImageRejected(TOO_SLOW) from None
    except BrokenProcessPool:
        _reset(pool, kill=False)
        raise ImageRejected(BROKEN) from None


def _get_pool() -> ProcessPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ProcessPoolExecutor(
                PROCESSES, mp_context=get_context("spawn"), initializer=_lower_priority
            )
            if _pool_pid != os.getpid():
                # A granian worker is itself a multiprocessing child: at its exit it joins its
                # children before Python's own exit hooks would stop the pool (a hang).
                Finalize(None, _stop_at_exit, exitpriority=10)
                atexit.register(_stop_at_exit)
            _pool_pid = os.getpid()
        return _pool


def _reset(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    if kill:  # a stuck decode would hold a core: stop its process (no public API for it)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _lower_priority() -> None:
    os.nice(10)


def _stop_at_exit() -> None:
    with _lock:
        pool = _pool
    if pool is not None:
        _reset(pool, kill=True)


def shutdown() -> None:
    """Stop this process's decode pool (at exit, and after tests)."""
    with _lock:
        pool = _pool
    if pool is not None:
        _reset(pool, kill=False)
