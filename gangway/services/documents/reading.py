"""Read an identity document from a photo, off the scan path; nothing is stored.

The photo is read in its own worker process (imaging/document_pool.py: never ahead of a scan's
photo) and forgotten: it is neither kept nor logged (issue 18, privacy). The document's fields
and check digits come from the pure core (domain/codes/documents).
"""

from __future__ import annotations

from datetime import date

from gangway.domain.codes.documents.aamva import parse_aamva
from gangway.domain.codes.documents.document import IdentityDocument, name_unsure
from gangway.domain.codes.documents.mrz import parse_mrz
from gangway.imaging.document_pool import read_in_pool
from gangway.imaging.documents import read_document_image
from gangway.imaging.images import ImageRejected
from gangway.services.errors import BadInput


def read_document(
    image: bytes, *, limits: dict, today: date, pool_timeout: float | None = None
) -> IdentityDocument:
    """Return the document in the photo, valid or not (its check digits say).

    :param pool_timeout: read in the worker process within this many seconds (None: here).
    :raises BadInput: the upload is not a usable image, or holds no zone nor AAMVA barcode.
    """
    sizes = {"max_bytes": limits["max_bytes"], "max_pixels": limits["max_pixels"]}
    try:
        if pool_timeout is None:
            found = read_document_image(image, **sizes, today=today)
        else:
            found = read_in_pool(image, **sizes, today=today, timeout=pool_timeout)
    except ImageRejected as exc:
        raise BadInput("image", exc.message) from None
    if found.barcode:
        return parse_aamva(found.barcode)
    document = parse_mrz(found.zone, today)
    return name_unsure(document) if found.name_unsure else document


def read_licence_text(text: str) -> IdentityDocument:
    """Return the licence a scanned AAMVA barcode's text describes, valid or not.

    A keyboard-wedge scanner or the live camera sends the barcode's LF, RS and CR as Unicode's
    control pictures (U+240A, U+241E, U+240D): an HTML input drops LF and CR, and the app
    refuses control characters as input (web/input_text.py). The parser turns them back.
    """
    return parse_aamva(text)
