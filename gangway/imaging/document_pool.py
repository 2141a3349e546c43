"""Document reads in their own worker process, beside (never ahead of) the scans' photo decodes.

A document read costs ~0.4-0.8 s of CPU (zone search and OCR); decode_pool.py's process serves
the scans' photos, so a document read queued there would hold a scan's verdict. This pool has its
own process (at nice 15: below the photo decodes' 10; worker_pool.py).
"""

from __future__ import annotations

from gangway.imaging.documents import DocumentText, read_document_image
from gangway.imaging.ppocr import warm_up
from gangway.imaging.worker_pool import WorkerPool

TOO_SLOW = "The photo took too long to read. Take it again, closer and in even light."
POOL = WorkerPool("Document read", nice=15, too_slow=TOO_SLOW, single_thread=True)


def read_in_pool(data: bytes, *, timeout: float, **limits) -> DocumentText:
    """Return read_document_image's result, read in the child process within `timeout` seconds.

    :raises ImageRejected: not a usable image, no zone, too slow to read, or the child died.
    """
    return POOL.run(read_document_image, data, timeout=timeout, **limits)


def warm() -> None:
    """Start the worker and load the OCR model in it now, so the first read does not wait.

    The start (an interpreter, numpy, onnxruntime) and the model's load cost ~2-3 s: paid when
    the server starts, in the background, not by the first watch to check an ID.
    """
    POOL.warm(warm_up)


def shutdown() -> None:
    """Stop this process's document pool (after tests)."""
    POOL.shutdown()
