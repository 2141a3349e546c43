"""The CSO's fleet-wide search in JSON (shore server only): a person by name or document number,
every ship and port call where they appear, the refused-then-seen case named."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify, request
from flask_login import current_user

from gangway.extensions import db
from gangway.services.shore.fleet_search import search_fleet
from gangway.web.api.base import api_blueprint
from gangway.web.roles import permission_required

bp = api_blueprint("api_fleet_search", __name__)


@bp.get("/fleet/search")
@permission_required("fleet.search")
def search():
    """Find a person across the fleet's records (400 with a message for a query that is not)."""
    result = search_fleet(db.session, request.args.get("q"), current_user.role)
    return jsonify(
        query=result.query,
        found=result.found,
        too_many=result.too_many,
        documents_masked=result.masked,
        persons=_plain(result.persons),
    )


def _plain(value):
    """Return a value as JSON: times in ISO 8601, UTC, with Z."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value
