"""Read an identity document from a photo, off the scan path: the zone's lines, then the core.

The thinnest call of imaging/documents.py read_zone (helper "ocr" builds the reading service
and its own pool for POST /api/v1/documents/read; this one goes once that is merged). The
photo is read in the photo pool's child process (imaging/decode_pool.py) and never stored.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.imaging.decode_pool import run_in_pool
from gangway.imaging.images import ImageRejected
from gangway.services.errors import BadInput


def read_document(
    image: bytes, *, limits: dict, today: date, pool_timeout: float | None = None
) -> IdentityDocument:
    """Return the document whose zone the photo shows (valid or with the reason it is not).

    :param pool_timeout: read in the photo pool's child within this many seconds (None: here).
    :raises BadInput: not a usable image, or no zone found in it; nothing is kept.
    """
    from gangway.imaging.documents import read_zone  # numpy and the OCR: loaded on first use

    sizes = {"max_bytes": limits["max_bytes"], "max_pixels": limits["max_pixels"]}
    accept = partial(_reads_whole, today=today)  # a partial of a module function pickles
    try:
        if pool_timeout is None:
            reading = read_zone(image, **sizes, accept=accept)
        else:
            reading = run_in_pool(read_zone, image, **sizes, accept=accept, timeout=pool_timeout)
    except ImageRejected as exc:
        raise BadInput("image", str(exc)) from None
    return parse_mrz(reading.lines, today)


def _reads_whole(lines: list[str], *, today: date) -> bool:
    """Tell whether a reading's check digits all hold (read_zone keeps the first that does)."""
    return parse_mrz(lines, today).valid
