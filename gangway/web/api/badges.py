"""JSON API for visitors and badges: the same services as the SSO's pages."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, request, url_for
from flask_login import current_user

from gangway.db.models import Badge
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.people.people import (
    PhotoUpload,
    default_validity,
    register_person,
    revoke_badge,
)
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.common import signing, upload_limits
from gangway.web.pages.people.badge_cards import card_response
from gangway.web.pages.people.person_form import parse_utc, person_from_form
from gangway.web.presenters import person_summary
from gangway.web.roles import permission_required

bp = api_blueprint("api_badges", __name__)


@bp.post("/visitors")
@permission_required("badges.issue")
def create_visitor():
    """Register a visitor (JSON, or multipart with a `photo`) and issue the badge."""
    form = request.form if request.files or request.form else _string_fields(json_body())
    default_start, default_end = default_validity(db.session, utcnow())
    upload = request.files.get("photo")
    photo = (
        PhotoUpload(upload.read(), Path(current_app.instance_path), upload_limits())
        if upload
        else None
    )
    badge = register_person(
        db.session,
        person_from_form({"kind": "visitor", **form}),
        valid_from=parse_utc(form, "valid_from") or default_start,
        valid_until=parse_utc(form, "valid_until") or default_end,
        photo=photo,
        user=current_user,
        now=utcnow(),
        signing=signing(),
    )
    return jsonify(_badge_json(badge)), 201


@bp.post("/badges/<int:badge_id>/revoke")
@permission_required("badges.revoke")
def revoke(badge_id: int):
    """Revoke a badge: `{"reason": "..."}`."""
    badge = db.get_or_404(Badge, badge_id)
    reason = json_body().get("reason")
    revoke_badge(
        db.session,
        badge,
        reason if isinstance(reason, str) else "",
        user=current_user,
        now=utcnow(),
    )
    return jsonify(_badge_json(badge))


@bp.get("/badges/<int:badge_id>/card.<any(pdf, png):fmt>")
@permission_required("badges.read")
def card(badge_id: int, fmt: str):
    """Send the printable card as PDF or PNG."""
    return card_response(badge_id, fmt)


def _string_fields(body: dict) -> dict:
    """Keep the string fields of a JSON body (anything else is refused as the wrong type)."""
    for name, value in body.items():
        if value is not None and not isinstance(value, str):
            raise BadInput(name, f"'{name}' must be a string.")
    return {k: v for k, v in body.items() if v is not None}


def _badge_json(badge: Badge) -> dict:
    return {
        "badge_id": badge.id,
        "code": badge.code,
        "person": person_summary(badge.person),
        "valid_from": badge.valid_from.isoformat(),
        "valid_until": badge.valid_until.isoformat(),
        "revoked_at": badge.revoked_at.isoformat() if badge.revoked_at else None,
        "card_pdf_url": url_for("api_badges.card", badge_id=badge.id, fmt="pdf"),
        "card_png_url": url_for("api_badges.card", badge_id=badge.id, fmt="png"),
    }
