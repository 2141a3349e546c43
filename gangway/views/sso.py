"""The SSO's and master's screens: who is on board right now."""

from __future__ import annotations

from flask import Blueprint

from gangway.dbtypes import utcnow
from gangway.extensions import db
from gangway.htmx_support import render_page_or_fragment
from gangway.roles import permission_required
from gangway.services.audit_head import chain_state
from gangway.services.presence import persons_on_board

bp = Blueprint("sso", __name__, url_prefix="/sso")


@bp.get("/onboard")
@permission_required("onboard.read")
def onboard():
    """List everyone on board with counts by kind; the list refreshes itself."""
    return render_page_or_fragment(
        "sso/onboard.html",
        "sso/_onboard.html",
        onboard=persons_on_board(db.session),
        chain=chain_state(db.session, utcnow()),
    )
