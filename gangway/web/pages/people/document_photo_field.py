"""The document photo the SSO may keep: carried in the form, signed, until they submit (issue 18).

Reading the document sends the form back filled, and with it the photo, small (at most 1400 px,
300 kB, EXIF dropped) and signed with the app's key for this user (itsdangerous, two hours).
Why in the form rather than held on the server: nothing is written before the SSO submits with
"Keep this document photo" ticked, so an unticked box or an abandoned form leaves nothing
anywhere, no temp file waits for a clean-up, and any serving process can take the submit. A
token altered, another user's, or too old is refused with words, and nothing is saved.
"""

from __future__ import annotations

import base64
import binascii

from flask import current_app
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from gangway.imaging.id_photos import normalise_document_photo
from gangway.imaging.images import ImageRejected
from gangway.services import BadInput
from gangway.web.common import upload_limits

TOKEN_FIELD = "document_photo_token"
KEEP_FIELD = "keep_document_photo"
HOLD_SECONDS = 2 * 3600  # as a held ID photo: long enough to fetch a missing detail
MAX_TOKEN = 420_000  # 300 kB of JPEG in base64 with its signature, under a form field's 500 kB
NOT_READ = "Read the document photo first, or untick 'Keep this document photo'."
ALTERED = "The document photo did not come back as it was read: read the document again."
EXPIRED = "The document photo was read over two hours ago: read the document again."


def carry_document_photo(data: bytes) -> str | None:
    """Return the photo made small and signed for the form (None: it cannot be kept)."""
    try:
        jpeg = normalise_document_photo(data, **upload_limits())
    except ImageRejected:  # it read, so this is unlikely; the form still fills
        return None
    return _signer().sign(base64.b64encode(jpeg)).decode("ascii")


def kept_document_photo(form) -> bytes | None:
    """Return the JPEG to keep on the record if the SSO ticked the box, else None.

    :raises BadInput: ticked with no photo read, or its token altered, another user's or old.
    """
    if not form.get(KEEP_FIELD):
        return None
    token = (form.get(TOKEN_FIELD) or "").strip()
    if not token:
        raise BadInput("document_photo", NOT_READ)
    return _unsign(token, max_age=HOLD_SECONDS)


def document_photo_preview(form) -> str | None:
    """Return a data: URL of the photo the form carries, if its signature holds."""
    token = (form.get(TOKEN_FIELD) or "").strip()
    if not token:
        return None
    try:
        jpeg = _unsign(token, max_age=None)
    except BadInput:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _unsign(token: str, *, max_age: int | None) -> bytes:
    if len(token) > MAX_TOKEN:
        raise BadInput("document_photo", ALTERED)
    try:
        return base64.b64decode(_signer().unsign(token, max_age=max_age), validate=True)
    except SignatureExpired:
        raise BadInput("document_photo", EXPIRED) from None
    except (BadSignature, binascii.Error, ValueError):
        raise BadInput("document_photo", ALTERED) from None


def _signer() -> TimestampSigner:
    """Sign for this user only: another user's form cannot keep the photo."""
    salt = f"gangway-document-photo/{current_user.id}"
    return TimestampSigner(current_app.secret_key, salt=salt)
