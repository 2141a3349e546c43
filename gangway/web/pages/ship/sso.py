"""The SSO's and master's screens: who is on board right now."""

from __future__ import annotations

from flask import Blueprint

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.audit.head import chain_state
from gangway.services.scan.presence import persons_on_board
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.roles import permission_required

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
