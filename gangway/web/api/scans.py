"""JSON API v1: the same services as the pages, for scanners, integrations and tests."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, jsonify, request
from flask_login import current_user

from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.people.photos import record_photo_scan
from gangway.services.scan.presence import persons_on_board
from gangway.services.scan.scanning import ScanInput, record_scan
from gangway.services.ship.plan import access_points_now
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.api.plan import access_point_json
from gangway.web.common import photo_pool_timeout, scan_context, upload_limits
from gangway.web.openapi.document import openapi_document
from gangway.web.presenters import person_summary, scan_result
from gangway.web.roles import permission_required

bp = api_blueprint("api", __name__)


@bp.post("/scans")
@permission_required("scan.record")
def scans():
    """Decide and record a scanned code; a resend with a known client_key answers 200, unchanged."""
    outcome = record_scan(db.session, _scan_input(json_body()), **scan_context())
    return jsonify(scan_result(outcome)), 200 if outcome.replayed else 201


@bp.post("/scans/image")
@permission_required("scan.record")
def scans_image():
    """Decode a photo, then decide and record the code found in it."""
    upload = request.files.get("image")
    if upload is None:
        raise BadInput("image", "Attach the photo as the multipart field 'image'.")
    data = _scan_input({**request.form.to_dict(), "code": "", "method": "photo"})
    outcome = record_photo_scan(
        db.session,
        upload.read(),
        data,
        limits=upload_limits(),
        pool_timeout=photo_pool_timeout(),
        **scan_context(),
    )
    return jsonify(scan_result(outcome)), 201


@bp.get("/onboard")
@permission_required("scan.record")
def onboard():
    """Return the count by kind and the list of persons on board."""
    found = persons_on_board(db.session)
    persons = [
        {
            **person_summary(p),
            "boarded_at": p.aboard_movement.occurred_at.isoformat(),
            "access_point": p.aboard_movement.access_point.code,
            "renamed": p.rename_note(p.aboard_movement.occurred_at),  # since boarding
        }
        for p in found.persons
    ]
    return jsonify(total=found.total, counts=found.counts, persons=persons)


@bp.get("/access-points")
@permission_required("access_points.read")
def access_points():
    """List every access point: its plan (levels open, enabled) and whether it is open now."""
    now = access_points_now(db.session)
    points = [{**access_point_json(p), "open_now": is_open} for p, is_open in now.points]
    return jsonify(security_level=now.level, access_points=points)


@bp.get("/ping")
@permission_required("api.ping")
def ping():
    """Answer that the server is up and the token works (no database work beyond the token)."""
    return jsonify(ok=True, role=current_user.role)


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document (public: it describes, it grants nothing)."""
    return jsonify(openapi_document(shore=bool(current_app.config.get("SHORE"))))


def _scan_input(body: dict) -> ScanInput:
    """Build a ScanInput from JSON or form fields, refusing wrong types with a clear message."""
    texts = (
        "code",
        "access_point",
        "direction",
        "purpose",
        "method",
        "document_type",
        "document_number",
        "escort",
        "search",
        "override_reason",
        "client_key",
        "scanned_at",
        "offline_verdict",
        "offline_reason",
        "pack_id",
    )
    fields = {}
    for name in texts:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise BadInput(name, f"'{name}' must be a string.")
        fields[name] = value
    ids = {name: _record_id(body, name) for name in ("person_id", "escort_person_id")}
    declined = _flag(body, "escort_declined")
    return ScanInput(
        code=fields["code"] or "",
        access_point=fields["access_point"] or "",
        direction=fields["direction"] or "auto",
        purpose=fields["purpose"],
        method=fields["method"] or "scan",
        document_type=fields["document_type"],
        document_number=fields["document_number"],
        escort=fields["escort"],
        escort_declined=declined,
        purpose_declined=_flag(body, "purpose_declined"),
        search=fields["search"],
        override_reason=fields["override_reason"],
        client_key=fields["client_key"],
        scanned_at=_time(fields["scanned_at"]),
        offline_verdict=fields["offline_verdict"],
        offline_reason=fields["offline_reason"],
        pack_id=fields["pack_id"],
        **ids,
    )


def _flag(body: dict, name: str) -> bool:
    value = body.get(name, False)
    if value not in (True, False, "true", "false", "1", "0"):
        raise BadInput(name, f"'{name}' is true or false.")
    return value in (True, "true", "1")


def _record_id(body: dict, name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise BadInput(name, f"'{name}' must be a record id (a positive integer).")
    return value


def _time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 time (the zone is checked by the service)."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(
            "scanned_at", "scanned_at must be ISO 8601, e.g. 2026-11-22T16:00:00Z."
        ) from None
