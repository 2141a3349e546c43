"""Photos stay on board unless the SSO sends one ashore (issue 17 point 2).

The SSO's "Send this photo ashore" appends a chained `photo.sent_ashore` entry (the person's
record id, which photo, its SHA-256) in its own transaction. The entry goes ashore with the
chain; once the shore holds it, the sender uploads the photo (background/shore_photos.py), and
the shore keeps it only if its SHA-256 is the one in that entry. No other photo ever leaves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Person, User
from gangway.imaging.id_photos import read_id_photo
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import ENTRY, append
from gangway.services.errors import BadInput
from gangway.services.people.document_photos import document_photo_image
from gangway.services.shore_link.settings import link_row

KIND = "photo.sent_ashore"
PHOTOS = ("id", "document")  # the ID photo, the document photo the SSO kept
NO_PHOTO = "This person has no such photo on board to send."


@dataclass(frozen=True)
class Upload:
    """A photo the SSO sent whose entry the shore holds: what to PUT (data None: gone since)."""

    seq: int
    person_id: int
    photo: str
    sha256: str
    data: bytes | None


def photo_bytes(session: Session, person: Person, photo: str, instance_path: Path) -> bytes | None:
    """Return the person's photo as stored on board (None: none, or not the one on record)."""
    if photo == "id":
        return read_id_photo(Path(instance_path), person.photo_path)
    return document_photo_image(session, person.id)


def send_photo_ashore(
    session: Session, person_id: int, photo: str, *, user: User, instance_path: Path, now: datetime
) -> str:
    """Chain that the SSO sends this photo ashore (the sender uploads it); return its SHA-256.

    :raises BadInput: an unknown photo, or the person has none on board.
    """
    if photo not in PHOTOS:
        raise BadInput("photo", "Choose the ID photo or the document photo.")
    with unit_of_work(session):
        person = session.get(Person, person_id)
        data = photo_bytes(session, person, photo, instance_path) if person else None
        if not data:
            raise BadInput("photo", NO_PHOTO)
        sha256 = hashlib.sha256(data).hexdigest()
        event = {"person_id": person_id, "photo": photo, "sha256": sha256,
                 "byte_size": len(data), "by": user.username, "at": now.isoformat()}  # fmt: skip
        append(session, KIND, event)
    return sha256


def uploads_waiting(session: Session, instance_path: Path, limit: int = 20) -> list[Upload]:
    """Return the photos sent whose entries the shore acknowledged and that are not up yet."""
    row = link_row(session)
    if row is None or not row.acked_seq:
        return []
    stmt = (
        select(ENTRY.c.seq, ENTRY.c.payload)
        .where(ENTRY.c.kind == KIND, ENTRY.c.seq > row.photos_seq, ENTRY.c.seq <= row.acked_seq)
        .order_by(ENTRY.c.seq)
        .limit(limit)
    )
    uploads = []
    for seq, payload in session.execute(stmt).all():
        event = json.loads(payload)
        person = session.get(Person, int(event["person_id"]))
        data = photo_bytes(session, person, event["photo"], instance_path) if person else None
        if data is not None and hashlib.sha256(data).hexdigest() != event["sha256"]:
            data = None  # changed since it was sent: the shore would refuse it (409)
        uploads.append(Upload(seq, int(event["person_id"]), event["photo"], event["sha256"], data))
    return uploads


def store_photos_seq(session: Session, seq: int) -> None:
    """Keep that the photos sent up to entry `seq` went up (or cannot). Commit."""
    with unit_of_work(session):
        row = link_row(session)
        if row is not None:
            row.photos_seq = max(row.photos_seq, seq)
