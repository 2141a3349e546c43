"""JSON API for refused entries: the SSO's list and acknowledgement (same services as the page)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, request, url_for
from flask_login import current_user

from gangway.db.models import Refusal, RefusalFollowUp
from gangway.db.types import utcnow
from gangway.domain.scan.reasons import label
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.follow_ups import acknowledge, acknowledge_many
from gangway.services.ship.refusals import RefusalEntry, recent_refusals, unacknowledged_count
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.pages.ship.refusals import follow_up_fields, refusal_ids
from gangway.web.presenters import recorded_person
from gangway.web.roles import permission_required

bp = api_blueprint("api_refusals", __name__)


@bp.get("/refusals")
@permission_required("refusals.read")
def refusals():
    """List refusals newest first: `?since=<ISO datetime>&unacknowledged=1&limit=100`."""
    since = _since(request.args.get("since"))
    found = recent_refusals(
        db.session,
        since=since,
        unacknowledged_only=request.args.get("unacknowledged") in ("1", "true"),
        limit=_limit(request.args.get("limit")),
    )
    return jsonify(
        refusals=[_refusal_json(e) for e in found],
        unacknowledged=unacknowledged_count(db.session),
    )


@bp.post("/refusals/<int:refusal_id>/acknowledge")
@permission_required("refusals.acknowledge")
def acknowledge_refusal(refusal_id: int):
    """Record the SSO's follow-up of a refusal (JSON body with the follow-up fields)."""
    db.get_or_404(Refusal, refusal_id)
    fields = follow_up_fields(json_body())
    follow_up = acknowledge(db.session, refusal_id, **fields, user=current_user, now=utcnow())
    return jsonify(follow_up_json(follow_up)), 201


@bp.post("/refusals/acknowledge")
@permission_required("refusals.acknowledge")
def acknowledge_refusals():
    """Acknowledge several open refusals with one follow-up (`refusal_ids` and the fields)."""
    body = json_body()
    ids = body.get("refusal_ids")
    if not isinstance(ids, list):
        raise BadInput("refusal_ids", "Send refusal_ids as a list of refusal ids, e.g. [12, 14].")
    fields = follow_up_fields(body)
    done = acknowledge_many(db.session, refusal_ids(ids), **fields, user=current_user, now=utcnow())
    return jsonify(
        follow_ups=[follow_up_json(f) for f in done],
        unacknowledged=unacknowledged_count(db.session),
    ), 201


def follow_up_json(f: RefusalFollowUp) -> dict:
    """Return a follow-up as the API documents it."""
    return {
        "id": f.id,
        "refusal_id": f.refusal_id,
        "acknowledged_at": f.acknowledged_at.isoformat(),
        "acknowledged_by_id": f.acknowledged_by_id,
        "response": f.response,
        "description": f.description,
        "location_in_port": f.location_in_port,
        "location_on_vessel": f.location_on_vessel,
        "reported_to_cso_at": _iso(f.reported_to_cso_at),
        "reported_to_pfso_at": _iso(f.reported_to_pfso_at),
        "reported_to_authorities_at": _iso(f.reported_to_authorities_at),
        "authorities": f.authorities,
    }


def _refusal_json(entry: RefusalEntry) -> dict:
    r = entry.refusal
    return {
        "id": r.id,
        "record_id": f"r-{r.id}",
        "occurred_at": r.occurred_at.isoformat(),
        "access_point": r.access_point.code,
        "access_point_name": r.access_point.name,
        "direction": r.direction,
        "reason_code": r.reason_code,
        "reason_message": r.reason_message,
        "reason_label": label(r.reason_code),
        "reason_codes": r.reason_codes.split(",") if r.reason_codes else [],
        "person": recorded_person(r),  # as recorded, whatever the person is called now
        "scanned_text": r.scanned_text,
        "method": r.method,
        "credential": r.credential,
        "recorded_by": entry.recorded_by.username if entry.recorded_by else None,
        "acknowledged": entry.is_acknowledged,
        "follow_ups": [follow_up_json(f) for f in entry.follow_ups],
        "incident_pdf_url": url_for("refusals.incident_pdf", refusal_id=r.id),
    }


def _since(value: str | None) -> datetime | None:
    """Parse `since` as ISO 8601; a time without an offset is UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip()[:40])
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset pushes it past year 1 or 9999
        raise BadInput("since", "Write since as an ISO datetime, e.g. 2026-11-22T16:00Z.") from None


def _limit(value: str | None) -> int:
    """Parse `limit`: ASCII digits only (int() would also read '²' and fail), at most 500."""
    if value is None:  # "limit=" is no integer: the document says so, and so does the answer
        return 100
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise BadInput("limit", "Limit must be a whole number, e.g. 100.")
    return min(int(value), 500)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
