"""The PFSO ashore (shore server only): the calls at their facility of every ship of the fleet,
each call's access log, and the visitors ships registered ahead for the facility. Read only."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.shore.facility import expected_visitors, facility_calls
from gangway.web.pages.shore.ship_log import log_page
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
    """Show a call's access log, the same page as the CSO's and the ship's (filters, pages);
    a call at another facility is not found (404)."""
    return log_page(imo, call_id)
