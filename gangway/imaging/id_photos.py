"""ID photos: uploads are checked like any image, then stored small, upright and without EXIF.

A photo's file name ends in the SHA-256 of its bytes, and the name is on the person's chained
record: a file swapped, damaged or brought from another instance under that name no longer
matches and is never shown (the watch compares this face with the person at the gangway).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from io import BytesIO
from pathlib import Path

from gangway.db.atomic_files import write_atomically
from gangway.imaging.images import check_size, open_upload

PHOTO_SIDE = 800  # enough for a card and the verdict screen; keeps the instance folder small
PHOTO_DIR = "photos"
_HASHED = re.compile(r"[0-9a-f]{24}-(?P<sha256>[0-9a-f]{64})\.jpg")

log = logging.getLogger(__name__)


def normalise_id_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> bytes:
    """Return an uploaded photo as an upright JPEG of at most PHOTO_SIDE pixels, without EXIF.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    check_size(data, max_bytes)
    image, _ = open_upload(data, PHOTO_SIDE, max_pixels, "RGB")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)  # re-encoding drops EXIF (location, device)
    return buffer.getvalue()


DOCUMENT_SIDE = 1400  # the data page's print stays legible for the watch and the SSO
DOCUMENT_MAX_BYTES = 300_000  # it travels in a form field until the SSO submits (500 kB a field)
DOCUMENT_QUALITIES = (80, 65, 50)  # tried in turn until the JPEG fits DOCUMENT_MAX_BYTES


def normalise_document_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> bytes:
    """Return a document photo as an upright JPEG of at most DOCUMENT_SIDE px, without EXIF.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    check_size(data, max_bytes)
    image, _ = open_upload(data, DOCUMENT_SIDE, max_pixels, "RGB")
    for quality in DOCUMENT_QUALITIES:
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=quality)  # re-encoding drops EXIF (location, device)
        if buffer.tell() <= DOCUMENT_MAX_BYTES:
            break
    else:  # a very noisy photo: smaller, at the last quality
        image.thumbnail((DOCUMENT_SIDE // 2, DOCUMENT_SIDE // 2))
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=DOCUMENT_QUALITIES[-1])
    return buffer.getvalue()


def store_id_photo(instance_path: Path, data: bytes, *, max_bytes: int, max_pixels: int) -> str:
    """Normalise an uploaded photo to JPEG and return its path relative to the instance folder.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    jpeg = normalise_id_photo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    relative = f"{PHOTO_DIR}/{secrets.token_hex(12)}-{hashlib.sha256(jpeg).hexdigest()}.jpg"
    target = Path(instance_path) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, jpeg)
    return relative


def read_id_photo(instance_path: Path, relative: str | None) -> bytes | None:
    """Return a stored photo's bytes if they match the SHA-256 in its name (None: no photo).

    Photos stored before names carried a hash (`photos/<24 hex>.jpg`) are read as they are: they
    live in the instance folder, named at random, where no other instance writes.
    """
    if not relative:
        return None
    path = Path(instance_path) / relative
    name = path.name
    if path.parent.name != PHOTO_DIR or path.parent.parent != Path(instance_path):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    hashed = _HASHED.fullmatch(name)
    if hashed and hashlib.sha256(data).hexdigest() != hashed["sha256"]:
        log.warning("ID photo %s does not match its SHA-256: not shown", relative)
        return None
    return data
