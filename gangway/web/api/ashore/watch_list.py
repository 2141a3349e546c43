"""The fleet watch list in JSON (shore server only): the CSO's API, and the ships' ask for the
changes since the version they hold (a ship's link token, as for its batches)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from gangway.db.models import FleetWatchEntry
from gangway.db.types import utcnow
from gangway.extensions import csrf, db
from gangway.services import BadInput
from gangway.services.shore.fleet_watch import (
    add_fleet_entry,
    changes_since,
    current_version,
    list_fleet_entries,
    remove_fleet_entry,
    wire_entry,
)
from gangway.services.shore.ships import ship_for_token
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.roles import permission_required

bp = api_blueprint("api_fleet_watch", __name__)
link_bp = Blueprint("shore_watch_list", __name__, url_prefix="/api/v1/shore")
csrf.exempt(link_bp)  # a ship sends no cookie: its link token is its only credential
FIELDS = ("family_name", "given_names", "date_of_birth", "document_number", "reason")
MAX_VERSION = 2**31 - 1


@bp.get("/fleet/watch-list")
@permission_required("fleet_watch.read")
def entries():
    """List the fleet watch list in force, with its version."""
    listed = [wire_entry(e) for e in list_fleet_entries(db.session)]
    return jsonify(version=current_version(db.session), entries=listed)


@bp.post("/fleet/watch-list")
@permission_required("fleet_watch.edit")
def add():
    """Add an entry every ship takes at its next contact."""
    body = json_body()
    values = {name: _text(body.get(name), name) for name in FIELDS}
    entry = add_fleet_entry(db.session, **values, user=current_user, now=utcnow())
    return jsonify(wire_entry(entry) | {"version": entry.version}), 201


@bp.post("/fleet/watch-list/<int:entry_id>/remove")
@permission_required("fleet_watch.edit")
def remove(entry_id: int):
    """Take an entry off the fleet list; every ship lifts it at its next contact."""
    db.get_or_404(FleetWatchEntry, entry_id)
    entry = remove_fleet_entry(db.session, entry_id, user=current_user, now=utcnow())
    return jsonify(wire_entry(entry) | {"version": entry.removed_version})


@link_bp.get("/watch-list")
def changes():
    """Tell a ship what changed in the fleet watch list since the version it holds."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if not token or ship_for_token(db.session, token) is None:
        response = jsonify(error="unauthorized", message="Send the ship's link token.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="gangway"'
        return response, 401
    since = (request.args.get("since") or "0").strip()
    if not (since.isascii() and since.isdigit()) or len(since) > 10 or int(since) > MAX_VERSION:
        message = "since: the version the ship holds, a whole number from 0."
        return jsonify(error="bad_request", message=message), 400
    return jsonify(changes_since(db.session, int(since)))


def _text(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadInput(name, f"{name}: a text or null.")
    return value
