"""JSON API for the security level and Declarations of Security: the same services as the pages."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify
from flask_login import current_user

from gangway.db.models import Declaration
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.declarations import declarations_for, record_declaration
from gangway.services.ship.security_level import level_state, set_level
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import permission_required

bp = api_blueprint("api_security", __name__)


@bp.get("/security-level")
@permission_required("level.read")
def security_level():
    """Return the level in force, its latest record, the port's level and the DoS prompt."""
    return jsonify(_state())


@bp.put("/security-level")
@permission_required("level.set")
def change_security_level():
    """Record a change of level: level, reason, ordered_by, notified_at, complied_at."""
    body = json_body()
    set_level(
        db.session,
        level=body.get("level"),
        reason=_text(body, "reason"),
        ordered_by=_text(body, "ordered_by"),
        notified_at=_time(body, "notified_at"),
        complied_at=_time(body, "complied_at"),
        user=current_user,
        now=utcnow(),
    )
    return jsonify(_state())


@bp.get("/declarations")
@permission_required("declarations.read")
def declaration_list():
    """Return the Declarations of Security the caller may read (a PFSO: their facility's)."""
    found = declarations_for(db.session, current_user)
    return jsonify(declarations=[_declaration_json(d) for d in found])


@bp.post("/declarations")
@permission_required("declarations.record")
def create_declaration():
    """Record a Declaration of Security agreed with the port facility."""
    body = json_body()
    texts = ("ship_party_name", "ship_party_role", "port_party_name", "port_facility", "reason")
    declaration = record_declaration(
        db.session,
        level=body.get("level"),
        **{name: _text(body, name) for name in (*texts, "measures")},
        **{name: _time(body, name) for name in ("valid_from", "valid_until", "signed_at")},
        user=current_user,
        now=utcnow(),
    )
    return jsonify(_declaration_json(declaration)), 201


def _state() -> dict:
    state = level_state(db.session, utcnow())
    return {
        "level": state.level,
        "reason": state.reason,
        "ordered_by": state.ordered_by,
        "notified_at": _iso(state.notified_at),
        "complied_at": _iso(state.complied_at),
        "port_level": state.port_level,
        "declaration_needed": state.declaration_needed,
    }


def _declaration_json(d: Declaration) -> dict:
    return {
        "id": d.id,
        "port_call_id": d.port_call_id,
        "level": d.level,
        "ship_party_name": d.ship_party_name,
        "ship_party_role": d.ship_party_role,
        "port_party_name": d.port_party_name,
        "port_facility": d.port_facility,
        "reason": d.reason,
        "measures": d.measures,
        "valid_from": _iso(d.valid_from),
        "valid_until": _iso(d.valid_until),
        "signed_at": _iso(d.signed_at),
        "recorded_at": _iso(d.recorded_at),
    }


def _text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadInput(name, f"'{name}' must be a string.")
    return value


def _time(body: dict, name: str) -> datetime | None:
    return parse_utc({name: _text(body, name)}, name)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
