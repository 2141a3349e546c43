"""The CSO's fleet in JSON (shore server only): one object per ship, as the fleet page shows."""

from __future__ import annotations

from datetime import UTC

from flask import jsonify

from gangway.extensions import db
from gangway.services.shore.fleet import fleet_status
from gangway.web.api.base import api_blueprint
from gangway.web.roles import permission_required

bp = api_blueprint("api_fleet", __name__)


@bp.get("/fleet")
@permission_required("fleet.read")
def fleet():
    """List every ship of the fleet: level, port call, who is aboard, contact, chain status."""
    ships = fleet_status(db.session)
    for ship in ships:
        if at := ship["last_contact_at"]:
            ship["last_contact_at"] = at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return jsonify(ships)
