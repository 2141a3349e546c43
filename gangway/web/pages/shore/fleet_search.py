"""The CSO's fleet-wide search of people and refusals (shore server only): a name or a document
number, every ship and port call where the person appears, the refused-then-seen case marked."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.shore.fleet_search import search_fleet
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.presenters import utc_and_local
from gangway.web.roles import permission_required

bp = Blueprint("fleet_search", __name__, url_prefix="/fleet")


@bp.get("/search")
@permission_required("fleet.search")
def search():
    """Search the fleet's records for a person; without a query, show the search box."""
    query = request.args.get("q")
    context = {"query": query or "", "result": None, "error": None, "when": utc_and_local}
    status = 200
    if query is not None:
        try:
            context["result"] = search_fleet(db.session, query, current_user.role)
        except BadInput as exc:
            context["error"], status = exc, bad_input_status()
    page = render_page_or_fragment(
        "fleet_search/index.html", "fleet_search/_results.html", **context
    )
    return page, status
