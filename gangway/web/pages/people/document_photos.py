"""A document photo kept on a person's record (issue 18): shown to the officers and the watch
beside the ID photo, never to a PFSO; the SSO may delete it."""

from __future__ import annotations

import hashlib
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.people.document_photos import delete_document_photo, document_photo_image
from gangway.web.roles import permission_required

bp = Blueprint("document_photos", __name__, url_prefix="/people")
DELETED = "Document photo deleted from the record (the audit chain notes who and when)."


@bp.get("/<int:person_id>/document-photo")
@permission_required("people.document_photo")
def show(person_id: int):
    """Send the kept document photo, only if it is the one its chained record names."""
    data = document_photo_image(db.session, person_id)
    if data is None:
        abort(404)
    response = send_file(BytesIO(data), mimetype="image/jpeg")
    response.set_etag(hashlib.sha256(data).hexdigest())
    response.headers["Cache-Control"] = "private, no-store"  # no copy left in a browser cache
    return response


@bp.post("/<int:person_id>/document-photo/delete")
@permission_required("people.document_photo_delete")
def delete(person_id: int):
    """Delete the kept document photo and go back to the badge page it was deleted from."""
    try:
        delete_document_photo(db.session, person_id, user=current_user, now=utcnow())
        flash(DELETED, "ok")
    except BadInput as exc:
        flash(exc.message, "error")
    return back_to_badge()


def back_to_badge():
    """Redirect to the badge page the form was posted from (its `badge_id`), else the list."""
    badge_id = request.form.get("badge_id", "")
    if badge_id.isdigit() and len(badge_id) < 10:
        return redirect(url_for("visitors.show", badge_id=int(badge_id)))
    return redirect(url_for("visitors.index"))
