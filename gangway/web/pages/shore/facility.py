"""The PFSO ashore (shore server only): the calls at their facility of every ship of the fleet,
each call's access log, and the visitors ships registered ahead for the facility. Read only."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.shore.facility import (
    call_log,
    expected_visitors,
    facility_call,
    facility_calls,
)
from gangway.web.presenters import utc_and_local
from gangway.web.roles import permission_required

bp = Blueprint("facility", __name__, url_prefix="/facility")


@bp.get("/")
@permission_required("facility.read")
def index():
    """List the calls at the PFSO's facility, and the visitors expected for calls not over."""
    return render_template(
        "facility/index.html",
        calls=facility_calls(db.session, current_user),
        visitors=expected_visitors(db.session, current_user, utcnow()),
        when=utc_and_local,
    )


@bp.get("/<imo>/calls/<int:call_id>")
@permission_required("facility.read")
def call(imo: str, call_id: int):
    """Show a call's access log; a call at another facility is not found (404)."""
    found = facility_call(db.session, current_user, imo, call_id)
    if found is None:
        abort(404)
    return render_template(
        "facility/call.html", call=found, rows=call_log(db.session, found), when=utc_and_local
    )
