"""Check each kept document photo's image against the SHA-256 on its chained row (issue 18).

The image is not chained itself (a digest over a photo's hex on every verify would be slow);
its row is, with the image's SHA-256. So an image swapped in the database shows here, and a
SHA-256 changed to match a swapped image shows as the row altered (verify.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gangway.db.models import DocumentPhoto, DocumentPhotoImage
from gangway.domain.records.audit_chain import Finding

BATCH = 50  # images of up to 300 kB: a few MB in memory at a time

_PHOTO, _IMAGE = DocumentPhoto.__table__, DocumentPhotoImage.__table__
_ROWS = (
    select(_PHOTO.c.id, _PHOTO.c.person_id, _PHOTO.c.sha256, _PHOTO.c.deleted_at, _IMAGE.c.data)
    .select_from(_PHOTO.outerjoin(_IMAGE, _IMAGE.c.document_photo_id == _PHOTO.c.id))
    .order_by(_PHOTO.c.id)
    .limit(BATCH)
)


def document_photo_findings(conn: Connection) -> Iterator[Finding]:
    """Yield a finding for each image swapped, missing, or left behind after its deletion."""
    last = 0
    while True:
        batch = conn.execute(_ROWS.where(_PHOTO.c.id > last)).all()
        for row in batch:
            what = f"document photo {row.id} of person {row.person_id}"
            if row.deleted_at is not None:
                if row.data is not None:
                    yield Finding("photo_not_deleted", f"{what} was deleted but its image is back")
            elif row.data is None:
                yield Finding("photo_missing", f"{what} has lost its image")
            elif hashlib.sha256(row.data).hexdigest() != row.sha256:
                yield Finding(
                    "photo_altered", f"{what} is not the image whose SHA-256 its entry holds"
                )
        if len(batch) < BATCH:
            return
        last = batch[-1].id
