"""Scans from a photo: decode the image on the server, then record it like any other scan."""

from __future__ import annotations

from dataclasses import replace

from gangway.domain.scan.types import Method
from gangway.imaging.decode import ImageRejected, decode_image
from gangway.imaging.decode_pool import decode_in_pool
from gangway.services.errors import BadInput
from gangway.services.scan.scanning import ScanInput, ScanOutcome, record_scan, validate_scan

NO_CODE = (
    "No QR, PDF417 or Aztec code found in the photo. Hold the card flat, closer, and in the light."
)


def record_photo_scan(
    session, image: bytes, data: ScanInput, *, limits: dict, pool_timeout=None, **kwargs
) -> ScanOutcome:
    """Decode the photo and record the first code found, with method 'photo'.

    :param pool_timeout: decode in a child process within this many seconds (None: here).
    :raises BadInput: the upload is not a usable image, or holds no code.
    """
    validate_scan(session, replace(data, code="photo", method=Method.PHOTO.value))  # fail fast
    sizes = {"max_bytes": limits["max_bytes"], "max_pixels": limits["max_pixels"]}
    try:
        if pool_timeout is None:
            texts = decode_image(image, **sizes)
        else:
            texts = decode_in_pool(image, **sizes, timeout=pool_timeout)
    except ImageRejected as exc:
        raise BadInput("image", str(exc)) from None
    if not texts:
        raise BadInput("image", NO_CODE)
    return record_scan(session, replace(data, code=texts[0], method=Method.PHOTO.value), **kwargs)
