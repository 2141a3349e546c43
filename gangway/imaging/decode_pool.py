"""Photo decodes in a worker process, so a 12 MP photo never holds the scan process.

A decode is part of a scan (the watch waits for its verdict), so it stays synchronous for the
request that sent it, but its ~0.3-1 s of CPU runs in another process (at nice 10): the scan
process's interpreter stays free for the other tablets (worker_pool.py).
"""

from __future__ import annotations

from gangway.imaging.decode import decode_image
from gangway.imaging.worker_pool import WorkerPool

TOO_SLOW = "The photo took too long to read. Take it again, closer and in the light."
POOL = WorkerPool("Photo decode", nice=10, too_slow=TOO_SLOW)  # decodes are a few a minute


def decode_in_pool(data: bytes, *, max_bytes: int, max_pixels: int, timeout: float) -> list[str]:
    """Return decode_image's texts, decoded in a child process within `timeout` seconds.

    :raises ImageRejected: the upload is not a usable image, too slow to read, or the child died.
    """
    return POOL.run(decode_image, data, max_bytes=max_bytes, max_pixels=max_pixels, timeout=timeout)


def shutdown() -> None:
    """Stop this process's decode pool (after tests)."""
    POOL.shutdown()
