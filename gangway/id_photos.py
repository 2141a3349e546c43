"""ID photos: uploads are checked like any image, then stored small, upright and without EXIF."""

from __future__ import annotations

import secrets
from io import BytesIO
from pathlib import Path

from .atomic_files import write_atomically
from .images import check_size, open_upload

PHOTO_SIDE = 800  # enough for a card and the verdict screen; keeps the instance folder small
PHOTO_DIR = "photos"


def normalise_id_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> bytes:
    """Return an uploaded photo as an upright JPEG of at most PHOTO_SIDE pixels, without EXIF.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    check_size(data, max_bytes)
    image, _ = open_upload(data, PHOTO_SIDE, max_pixels, "RGB")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)  # re-encoding drops EXIF (location, device)
    return buffer.getvalue()


def store_id_photo(instance_path: Path, data: bytes, *, max_bytes: int, max_pixels: int) -> str:
    """Normalise an uploaded photo to JPEG and return its path relative to the instance folder.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    jpeg = normalise_id_photo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    relative = f"{PHOTO_DIR}/{secrets.token_hex(12)}.jpg"
    target = Path(instance_path) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, jpeg)
    return relative
