"""The photos a ship's SSO sent ashore (issue 17 point 2): the CSO's only, never a PFSO's."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, send_file

from gangway.extensions import db
from gangway.services.shore.photos import photo_data
from gangway.web.roles import permission_required

bp = Blueprint("shore_photos", __name__, url_prefix="/fleet/photos")


@bp.get("/<int:ship_id>/<int:person_id>/<any(id, document):photo>.jpg")
@permission_required("fleet.photos")
def show(ship_id: int, person_id: int, photo: str):
    """Send a kept photo (404: none, or not the bytes its ship's chain names)."""
    data = photo_data(db.session, ship_id, person_id, photo)
    if data is None:
        abort(404)
    response = send_file(BytesIO(data), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"  # no copy left in a browser cache
    return response
