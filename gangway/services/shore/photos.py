"""Photos a ship's SSO sent ashore (issue 17 point 2), as the shore keeps them.

A photo is kept only when the ship's chain, as held and verified ashore, has a
`photo.sent_ashore` entry for that person and photo with the photo's SHA-256: other bytes (a
photo the SSO did not send, or one changed on the way) are refused and kept nowhere. The same
photo sent again changes nothing. Only the CSO sees them (permission `fleet.photos`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from gangway.db.models import ShoreEntry, ShorePhoto
from gangway.services.after_commit import unit_of_work

KIND = "photo.sent_ashore"  # the ship's entry (services/shore_link/photos.py)
PHOTOS = ("id", "document")
_SHA256 = re.compile(r"[0-9a-f]{64}")
JPEG_START = b"\xff\xd8\xff"


@dataclass(frozen=True)
class PhotoAnswer:
    """How an upload ended: the HTTP status, an error code (None: kept) and a message."""

    status: int
    error: str | None
    message: str


def keep_photo(
    session: Session, ship_id: int, person_id: int, photo: str, sha256: str, data: bytes,
    now: datetime,
) -> PhotoAnswer:  # fmt: skip
    """Keep a photo a ship uploads if its chained entry names these bytes; commit."""
    sha256 = (sha256 or "").strip().lower()
    if photo not in PHOTOS or not _SHA256.fullmatch(sha256):
        message = "Send X-Photo-SHA256 (64 hex) for the id or the document photo."
        return PhotoAnswer(400, "bad_photo", message)
    if hashlib.sha256(data).hexdigest() != sha256 or not data.startswith(JPEG_START):
        return PhotoAnswer(400, "bad_photo", "The body is not the JPEG whose SHA-256 was sent.")
    seq = _sent_entry(session, ship_id, person_id, photo, sha256)
    if seq is None:
        session.rollback()
        message = "No entry of the ship's chain held ashore sends this photo of this person."
        return PhotoAnswer(409, "not_sent", message)
    held = session.get(ShorePhoto, (ship_id, person_id, photo))
    if held is not None and held.seq >= seq:
        session.rollback()
        return PhotoAnswer(200, None, "Already held.")
    with unit_of_work(session):
        if held is None:
            held = ShorePhoto(ship_id=ship_id, person_id=person_id, photo=photo)
            session.add(held)
        held.seq, held.sha256, held.data, held.received_at = seq, sha256, data, now
    return PhotoAnswer(200, None, "Kept.")


def _sent_entry(session: Session, ship_id: int, person_id: int, photo: str, sha256: str):
    """Return the seq of the latest entry sending exactly this photo, or None."""
    stmt = (
        select(ShoreEntry.seq, ShoreEntry.payload)
        .where(ShoreEntry.ship_id == ship_id, ShoreEntry.kind == KIND)
        .order_by(ShoreEntry.seq.desc())
    )
    for seq, payload in session.execute(stmt):
        try:
            event = json.loads(payload or "")
        except ValueError:
            continue
        if (event.get("person_id"), event.get("photo"), event.get("sha256")) == (
            person_id, photo, sha256
        ):  # fmt: skip
            return seq
    return None


def photos_of(session: Session, pairs: set[tuple[int, int]]) -> dict[tuple, list[dict]]:
    """Return the photos held per (ship_id, person_id): which photo and its SHA-256."""
    if not pairs:
        return {}
    rows = session.execute(
        select(ShorePhoto.ship_id, ShorePhoto.person_id, ShorePhoto.photo, ShorePhoto.sha256)
        .where(tuple_(ShorePhoto.ship_id, ShorePhoto.person_id).in_(pairs))
        .order_by(ShorePhoto.photo.desc())  # the ID photo first
    )
    found: dict[tuple, list[dict]] = {}
    for ship_id, person_id, photo, sha256 in rows:
        found.setdefault((ship_id, person_id), []).append(
            {"ship_id": ship_id, "person_id": person_id, "photo": photo, "sha256": sha256}
        )
    return found


def photo_data(session: Session, ship_id: int, person_id: int, photo: str) -> bytes | None:
    """Return a kept photo's JPEG, only if it still matches its SHA-256."""
    held = session.get(ShorePhoto, (ship_id, person_id, photo))
    if held is None or hashlib.sha256(held.data).hexdigest() != held.sha256:
        return None
    return bytes(held.data)
