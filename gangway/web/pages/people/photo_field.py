"""The registration form's photo: a new upload, or the one held from the form's last try.

A held photo's token travels in a hidden field, and the browser session that uploaded it
remembers it with its user: a token seen from another session or user is refused, never used.
"""

from __future__ import annotations

import base64
from pathlib import Path

from flask import current_app, request, session
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.imaging.held_photos import HeldPhoto, held_photo, hold_photo, release_photo
from gangway.imaging.images import ImageRejected
from gangway.services import BadInput
from gangway.web.common import upload_limits

SESSION_KEY = "held_photos"  # [[token, user id], ...], newest last
MAX_PER_SESSION = 4  # forms open in a few tabs at once
FOREIGN = "That photo was chosen in another session: choose it again."
EXPIRED = "The photo from the last try has expired: choose it again."


def photo_from_form() -> tuple[HeldPhoto | None, BadInput | None]:
    """Return the photo this submit registers (held, so an error keeps it) and any problem.

    A new upload replaces a held photo; if it is rejected, the held one stays.
    """
    held, problem = _carried((request.form.get("photo_token") or "").strip())
    if request.form.get("photo_drop"):
        forget_photo(held)
        held, problem = None, None
    upload = request.files.get("photo")
    if not upload or not upload.filename:
        return held, problem
    limits = upload_limits()
    try:
        new = hold_photo(_instance(), upload.read(limits["max_bytes"] + 1), **limits, now=utcnow())
    except ImageRejected as exc:
        return held, BadInput("photo", exc.message)
    forget_photo(held)
    pairs = [p for p in session.get(SESSION_KEY, []) if p[0] != new.token]
    session[SESSION_KEY] = [*pairs, [new.token, current_user.id]][-MAX_PER_SESSION:]
    return new, None


def forget_photo(held: HeldPhoto | None) -> None:
    """Delete a held photo of this session (used or replaced) and forget its token."""
    if held is None:
        return
    release_photo(_instance(), held.token)
    session[SESSION_KEY] = [p for p in session.get(SESSION_KEY, []) if p[0] != held.token]


def preview_url(held: HeldPhoto | None) -> str | None:
    """Return a data: URL showing the held photo (small already; no route to guard)."""
    if held is None:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(held.data).decode("ascii")


def _carried(token: str) -> tuple[HeldPhoto | None, BadInput | None]:
    """Return the held photo the form carries, if this session and user uploaded it."""
    if not token:
        return None, None
    if [token, current_user.id] not in session.get(SESSION_KEY, []):
        return None, BadInput("photo", FOREIGN)
    held = held_photo(_instance(), token, utcnow())
    if held is None:
        session[SESSION_KEY] = [p for p in session.get(SESSION_KEY, []) if p[0] != token]
        return None, BadInput("photo", EXPIRED)
    return held, None


def _instance() -> Path:
    return Path(current_app.instance_path)
