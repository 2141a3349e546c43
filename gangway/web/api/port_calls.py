"""JSON API for port calls and the access log (same services and rules as the pages)."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from gangway.db.models import PortCall
from gangway.db.types import utcnow
from gangway.domain.reporting.access_log import BadFilters, parse_filters
from gangway.extensions import db
from gangway.render.access_log_rows import present_row, row_json
from gangway.render.port_calls import port_call_json
from gangway.services import BadInput
from gangway.services.access_log.access_log import access_log
from gangway.services.ship.port_calls import (
    StillAboard,
    close_port_call,
    open_port_call,
    port_calls_for,
    set_document_sharing,
)
from gangway.web.api.base import api_blueprint, json_body
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.pages.records.pfso import chosen_call
from gangway.web.pages.ship.port_calls import port_call_fields
from gangway.web.presenters import person_summary
from gangway.web.roles import permission_required

bp = api_blueprint("api_port_calls", __name__)


@bp.post("/port-calls")
@permission_required("port_calls.edit")
def open_call():
    """Open a port call (JSON body with the port call's fields)."""
    body = json_body()
    _share(body, default=False)  # JSON takes true/false only, not the form's "1"
    fields = port_call_fields(body)
    call = open_port_call(db.session, **fields, user=current_user, now=utcnow())
    return jsonify(port_call_json(call)), 201


@bp.post("/port-calls/<int:call_id>/close")
@permission_required("port_calls.edit")
def close_call(call_id: int):
    """Record the departure from a port call (`departed_at` optional, default now).

    With visitors, contractors or authorities still aboard it answers 409 with the list and
    writes nothing, unless the body says `"confirm_aboard": true`.
    """
    db.get_or_404(PortCall, call_id)
    departed_at, confirm = _close_body()
    try:
        call = close_port_call(
            db.session,
            call_id,
            departed_at=departed_at,
            now=utcnow(),
            confirm_aboard=confirm,
        )
    except StillAboard as exc:
        aboard = [aboard_json(p) for p in exc.persons]
        return jsonify(error="still_aboard", field="confirm_aboard", message=exc.message,
                       aboard=aboard), 409  # fmt: skip
    return jsonify(port_call_json(call))


def _close_body():
    """Read the optional close body: (departed_at, confirm_aboard)."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    if not isinstance(body.get("departed_at") or "", str):
        raise BadInput("departed_at", "'departed_at' must be a string.")
    confirm = body.get("confirm_aboard", False)
    if not isinstance(confirm, bool):
        raise BadInput("confirm_aboard", "'confirm_aboard' must be true or false.")
    return parse_utc(body, "departed_at"), confirm


def aboard_json(person) -> dict:
    """Return a person still aboard as the close endpoint's 409 lists them."""
    boarding = person.aboard_movement
    return {
        **person_summary(person),
        "boarded_at": boarding.occurred_at.isoformat(),
        "access_point": boarding.access_point.code,
    }


@bp.post("/port-calls/<int:call_id>/share-documents")
@permission_required("port_calls.edit")
def share_documents(call_id: int):
    """Show (`share_documents`: true) or mask (false) the call's document numbers for the PFSO."""
    db.get_or_404(PortCall, call_id)
    share = _share(json_body())
    return jsonify(port_call_json(set_document_sharing(db.session, call_id, share=share)))


@bp.get("/port-calls")
@permission_required("port_calls.list")
def list_calls():
    """List port calls, newest first; a PFSO sees only those at their facility."""
    return jsonify(port_calls=[port_call_json(c) for c in port_calls_for(db.session, current_user)])


@bp.get("/movements")
@permission_required("log.read")
def movements():
    """Return one page of the access log of a port call (default: the newest one readable)."""
    _, call = chosen_call()
    try:
        filters = parse_filters(request.args)
    except BadFilters as exc:
        problems = [{"field": f, "message": m} for f, m in exc.problems]
        return jsonify(error="bad_input", message=str(exc), problems=problems), 400
    found = access_log(db.session, [call.id] if call else [], filters)
    calls = {call.id: call} if call else {}
    rows = [row_json(present_row(r, calls, current_user.role)) for r in found.rows]
    return jsonify(
        port_call=port_call_json(call) if call else None,
        rows=rows,
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


def _share(body: dict, default: bool | None = None) -> bool:
    value = body.get("share_documents", default)
    if not isinstance(value, bool):
        raise BadInput("share_documents", "'share_documents' must be true or false.")
    return value
