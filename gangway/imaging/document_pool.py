"""Document reads in their own worker process, beside (never ahead of) the scans' photo decodes.

A document read costs ~0.4-0.8 s of CPU (zone search and OCR); decode_pool.py's process serves
the scans' photos, so a document read queued there would hold a scan's verdict. This pool has its
own process (spawned, at nice 15: below the photo decodes' 10), made on first use in each serving
process and made again when its child dies or a read runs past its timeout.
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

from gangway.imaging.documents import DocumentText, read_document_image
from gangway.imaging.images import ImageRejected

log = logging.getLogger(__name__)
TOO_SLOW = "The photo took too long to read. Take it again, closer and in even light."
BROKEN = "The photo could not be read just now. Take it again."

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None


def read_in_pool(data: bytes, *, timeout: float, **limits) -> DocumentText:
    """Return read_document_image's result, read in the child process within `timeout` seconds.

    :raises ImageRejected: not a usable image, no zone, too slow to read, or the child died.
    """
    pool = _get_pool()
    future = pool.submit(read_document_image, data, **limits)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        log.warning("Document read ran over %s s; its process is stopped", timeout)
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
                1, mp_context=get_context("spawn"), initializer=_lower_priority
            )
            if _pool_pid != os.getpid():
                # As decode_pool: a granian worker joins its children before atexit runs.
                Finalize(None, _stop_at_exit, exitpriority=10)
                atexit.register(_stop_at_exit)
            _pool_pid = os.getpid()
        return _pool


def _reset(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    if kill:  # a stuck read would hold a core: stop its process (no public API for it)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _lower_priority() -> None:
    os.nice(15)
    os.environ["OMP_NUM_THREADS"] = "1"


def _stop_at_exit() -> None:
    with _lock:
        pool = _pool
    if pool is not None:
        _reset(pool, kill=True)


def shutdown() -> None:
    """Stop this process's document pool (after tests)."""
    with _lock:
        pool = _pool
    if pool is not None:
        _reset(pool, kill=False)
