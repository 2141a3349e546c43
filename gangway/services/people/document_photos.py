"""Document photos the SSO keeps on a person's record (issue 18 point 6).

Kept only when the SSO ticks the box as they register the person: the JPEG (small, upright, no
EXIF) goes into document_photo_image and its SHA-256 into the chained document_photo row, in
the registration's own transaction, so verify-log catches an image swapped in the database.
Officers and the watch see it beside the ID photo, never a PFSO (the permission table).
Retention: it goes with the records of the port call it was kept in (`purge-port-call`,
SOLAS XI-2/9.2.1 and 33 CFR 104.235), before or with the person's other personal data, or
earlier when the SSO deletes it (chained: who and when stay on the row, the image goes).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import DocumentPhoto, DocumentPhotoImage, Person, PortCall, User
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.ship.ship import current_port_call_id

NONE_KEPT = "No document photo is kept on this person's record."

log = logging.getLogger(__name__)


def add_document_photo(
    session: Session, person: Person, jpeg: bytes, *, user: User, now: datetime
) -> DocumentPhoto:
    """Keep a document photo on a new person's record, in the open unit of work."""
    photo = DocumentPhoto(
        person=person,
        sha256=hashlib.sha256(jpeg).hexdigest(),
        byte_size=len(jpeg),
        port_call_id=_retention_call_id(session),
        kept_at=now,
        kept_by_id=user.id,
        image=DocumentPhotoImage(data=jpeg),
    )
    session.add(photo)
    return photo


def document_photo_of(session: Session, person_id: int) -> DocumentPhoto | None:
    """Return the person's kept document photo (not deleted), if there is one."""
    stmt = (
        select(DocumentPhoto)
        .where(DocumentPhoto.person_id == person_id, DocumentPhoto.deleted_at.is_(None))
        .order_by(DocumentPhoto.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def document_photo_image(session: Session, person_id: int) -> bytes | None:
    """Return the kept photo's JPEG, only if it matches the SHA-256 on its chained row."""
    photo = document_photo_of(session, person_id)
    if photo is None:
        return None
    stmt = select(DocumentPhotoImage.data).where(DocumentPhotoImage.document_photo_id == photo.id)
    data = session.scalar(stmt)
    if data is None or hashlib.sha256(data).hexdigest() != photo.sha256:
        log.warning("Document photo %s does not match its SHA-256: not shown", photo.id)
        return None  # someone else's photo is worse than none
    return bytes(data)


def delete_document_photo(
    session: Session, person_id: int, *, user: User, now: datetime
) -> DocumentPhoto:
    """Delete the person's kept document photo (the row keeps who and when), and commit.

    :raises BadInput: the person has no document photo kept.
    """
    with unit_of_work(session):
        photo = document_photo_of(session, person_id)
        if photo is None:
            raise BadInput("document_photo", NONE_KEPT)
        photo.deleted_at, photo.deleted_by_id = now, user.id
        session.execute(
            delete(DocumentPhotoImage).where(DocumentPhotoImage.document_photo_id == photo.id),
            execution_options={"synchronize_session": False},
        )
    return photo


def photos_of_call(call_id: int):
    """Return the condition for a document photo to go with the port call's records.

    One kept before the ship had any port call (none to file it with) goes with the first purge.
    """
    return or_(DocumentPhoto.port_call_id == call_id, DocumentPhoto.port_call_id.is_(None))


def purge_document_photos(session: Session, call_id: int) -> int:
    """Delete the call's document photos and their images in the open transaction (a purge's)."""
    ids = select(DocumentPhoto.id).where(photos_of_call(call_id)).scalar_subquery()
    options = {"synchronize_session": False}
    session.execute(
        delete(DocumentPhotoImage).where(DocumentPhotoImage.document_photo_id.in_(ids)),
        execution_options=options,
    )
    removed = session.execute(
        delete(DocumentPhoto).where(photos_of_call(call_id)), execution_options=options
    )
    return removed.rowcount


def count_document_photos(session: Session, call_id: int) -> int:
    """Return how many document photos go with the call's records at its purge."""
    stmt = select(func.count()).select_from(DocumentPhoto).where(photos_of_call(call_id))
    return session.scalar(stmt)


def _retention_call_id(session: Session) -> int | None:
    """Return the call a photo kept now is purged with: the open one, else the last (at sea)."""
    open_id = current_port_call_id(session)
    if open_id is not None:
        return open_id
    latest = select(PortCall.id).order_by(PortCall.arrived_at.desc(), PortCall.id.desc())
    return session.scalar(latest.limit(1))
