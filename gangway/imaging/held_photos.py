"""ID photos held between two tries of a form, so a form sent back with an error keeps its photo.

A held photo has passed the same checks as a stored ID photo (id_photos.py) and is kept already
normalised (small, upright, no EXIF), under an unguessable token, in the instance folder. It lives
until it is used, replaced, or older than HOLD_SECONDS; who may use a token is the web layer's
business (the token is bound to the browser session that uploaded it).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gangway.db.atomic_files import write_atomically
from gangway.imaging.id_photos import normalise_id_photo

HOLD_DIR = "held-photos"
HOLD_SECONDS = 2 * 3600  # long enough to fetch a missing document number, short for a stray file
MAX_HELD = 200  # a few SSOs' unfinished forms; past that the oldest go first
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24); also keeps paths inside


@dataclass(frozen=True)
class HeldPhoto:
    """A photo waiting for its form: the token the form carries and the normalised JPEG."""

    token: str
    data: bytes


def hold_photo(
    instance_path: Path, data: bytes, *, max_bytes: int, max_pixels: int, now: datetime
) -> HeldPhoto:
    """Check and normalise an upload, keep it under a new token, and drop expired ones.

    :raises ImageRejected: empty, oversized, not an image, or damaged.
    """
    jpeg = normalise_id_photo(data, max_bytes=max_bytes, max_pixels=max_pixels)
    folder = Path(instance_path) / HOLD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    write_atomically(folder / f"{token}.jpg", jpeg)
    prune_held_photos(instance_path, now)
    return HeldPhoto(token, jpeg)


def held_photo(instance_path: Path, token: str, now: datetime) -> HeldPhoto | None:
    """Return the photo held under `token`, or None if there is none (any more)."""
    if not _TOKEN.fullmatch(token):
        return None
    path = Path(instance_path) / HOLD_DIR / f"{token}.jpg"
    try:
        if path.stat().st_mtime < now.timestamp() - HOLD_SECONDS:
            path.unlink(missing_ok=True)
            return None
        return HeldPhoto(token, path.read_bytes())
    except FileNotFoundError:
        return None


def release_photo(instance_path: Path, token: str) -> None:
    """Delete the photo held under `token` (used, replaced or left out)."""
    if _TOKEN.fullmatch(token):
        (Path(instance_path) / HOLD_DIR / f"{token}.jpg").unlink(missing_ok=True)


def prune_held_photos(instance_path: Path, now: datetime) -> int:
    """Delete held photos past HOLD_SECONDS, and the oldest beyond MAX_HELD; return how many."""
    folder = Path(instance_path) / HOLD_DIR
    dated = []
    for path in folder.glob("*.jpg"):
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # another request released it meanwhile
            continue
    dated.sort(reverse=True)
    cutoff = now.timestamp() - HOLD_SECONDS
    stale = [path for i, (mtime, path) in enumerate(dated) if mtime < cutoff or i >= MAX_HELD]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
