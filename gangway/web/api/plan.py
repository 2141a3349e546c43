"""JSON API v1 for the ship security plan: change an access point, read and set anti-passback
(changes: the SSO only)."""

from __future__ import annotations

from flask import abort, jsonify

from gangway.domain.ship.plan import OpenLevels
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.plan import find_access_point, plan_overview, update_access_point
from gangway.services.ship.plan_settings import set_passback
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.roles import permission_required

bp = api_blueprint("api_plan", __name__)


@bp.put("/access-points/<code>")
@permission_required("plan.edit")
def put_access_point(code: str):
    """Change an access point's name, kind, levels open or enabled flag."""
    body = json_body()
    if find_access_point(db.session, code) is None:
        abort(404)
    point = update_access_point(db.session, code, **_changes(body))
    return jsonify(access_point_json(point))


@bp.get("/plan/passback")
@permission_required("plan.read")
def get_passback():
    """Return, per kind of person, whether boarding or leaving twice is refused."""
    ship = plan_overview(db.session).ship
    if ship is None:
        abort(404)
    return jsonify(passback_json(ship))


@bp.put("/plan/passback")
@permission_required("plan.edit")
def put_passback():
    """Set the kinds of person refused boarding twice and leaving twice (others: flagged)."""
    body = json_body()
    lists = {}
    for name in ("refuse_board", "refuse_depart"):
        value = body.get(name)
        if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
            raise BadInput(name, f"'{name}' must be a list of kinds of person.")
        lists[name] = value
    return jsonify(passback_json(set_passback(db.session, **lists)))


def passback_json(ship) -> dict:
    """Return the anti-passback setting as the API shows it."""
    return {
        "refuse_board": [k for k in ship.passback_refuse_board.split(",") if k],
        "refuse_depart": [k for k in ship.passback_refuse_depart.split(",") if k],
    }


def access_point_json(point) -> dict:
    """Return an access point as the API shows it."""
    return {
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "is_enabled": point.is_enabled,
        "open_at": point.open_levels.by_level(),
        "one_way": point.one_way,
    }


def _changes(body: dict) -> dict:
    """Check the JSON fields' types and return the keyword arguments for the service."""
    changes = {}
    for name in ("name", "kind"):
        if name in body:
            if not isinstance(body[name], str):
                raise BadInput(name, f"'{name}' must be a string.")
            changes[name] = body[name]
    if "is_enabled" in body:
        if not isinstance(body["is_enabled"], bool):
            raise BadInput("is_enabled", "'is_enabled' must be true or false.")
        changes["is_enabled"] = body["is_enabled"]
    if "open_at" in body:
        open_at = body["open_at"]
        if not isinstance(open_at, dict) or not all(
            isinstance(open_at.get(level), bool) for level in ("1", "2", "3")
        ):
            raise BadInput("open_at", '\'open_at\' must map "1", "2" and "3" to true or false.')
        changes["open_at"] = OpenLevels.from_by_level(open_at)
    if "one_way" in body:
        if body["one_way"] not in (None, "board", "depart"):
            raise BadInput("one_way", '\'one_way\' is "board", "depart" or null (both ways).')
        changes["one_way"] = body["one_way"]
    return changes
