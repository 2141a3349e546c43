"""The PFSO's facility in JSON (shore server only): the calls at their facility of every ship,
a call's access log, and the visitors expected (for the facility's gate). Read only."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from flask import abort, jsonify
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.shore.facility import (
    call_log,
    expected_visitors,
    facility_call,
    facility_calls,
)
from gangway.web.api.base import api_blueprint
from gangway.web.roles import permission_required

bp = api_blueprint("api_facility", __name__)


@bp.get("/facility/calls")
@permission_required("facility.read")
def calls():
    """List the calls at the PFSO's facility of every ship of the fleet, latest first."""
    return jsonify([_call(c) for c in facility_calls(db.session, current_user)])


@bp.get("/facility/calls/<imo>/<int:call_id>/log")
@permission_required("facility.read")
def log(imo: str, call_id: int):
    """Return a call's movements and refusals, documents masked unless the ship shares them."""
    found = facility_call(db.session, current_user, imo, call_id)
    if found is None:
        abort(404)
    rows = [{k: _plain(v) for k, v in row.items()} for row in call_log(db.session, found)]
    return jsonify(call=_call(found), rows=rows)


@bp.get("/facility/visitors")
@permission_required("facility.read")
def visitors():
    """List the visitors ships registered for their calls at the facility, badge still good."""
    found = expected_visitors(db.session, current_user, utcnow())
    return jsonify(
        [{k: _call(v) if k == "call" else _plain(v) for k, v in item.items()} for item in found]
    )


def _call(call) -> dict:
    return {k: _plain(v) for k, v in asdict(call).items() if k != "ship_id"}


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value
