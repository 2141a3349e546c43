"""Send a person's photo ashore (issue 17 point 2): photos stay on board unless the SSO sends one.

The SSO's choice is chained at once; the ship's sender uploads the photo at its next round.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, request
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.shore_link.photos import send_photo_ashore
from gangway.web.pages.people.document_photos import back_to_badge
from gangway.web.roles import permission_required

bp = Blueprint("photo_ashore", __name__, url_prefix="/people")
SENT = (
    "The {what} goes ashore with the sender's next round (the audit chain notes who, when and "
    "its SHA-256); only the CSO sees it there."
)


@bp.post("/<int:person_id>/photo-ashore")
@permission_required("people.photo_ashore")
def send(person_id: int):
    """Chain the SSO's sending of the ID or document photo, then go back to the badge page."""
    photo = request.form.get("photo", "")
    try:
        send_photo_ashore(
            db.session, person_id, photo, user=current_user,
            instance_path=current_app.instance_path, now=utcnow(),
        )  # fmt: skip
        flash(SENT.format(what="ID photo" if photo == "id" else "document photo"), "ok")
    except BadInput as exc:
        flash(exc.message, "error")
    return back_to_badge()
