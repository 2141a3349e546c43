"""The SSO's port calls: open one on arrival, close it on departure; the master may read them."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.models import PortCall
from gangway.db.types import utcnow
from gangway.domain.reporting.access_log import local_time
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.reports.snapshots import shown_snapshots, snapshot_state
from gangway.services.ship.port_calls import (
    StillAboard,
    close_port_call,
    list_port_calls,
    open_port_call,
    set_document_sharing,
)
from gangway.web.htmx_support import bad_input_status, fragment_or_redirect, render_page_or_fragment
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import can, permission_required

bp = Blueprint("port_calls", __name__, url_prefix="/sso/port-calls")
TEXT_FIELDS = ("port_name", "unlocode", "facility_name", "pfso_name", "pfso_contact", "berth")


@bp.get("/")
@permission_required("port_calls.read")
def index():
    """List the port calls, with the open form and close buttons for the SSO."""
    return _render()


@bp.post("/")
@permission_required("port_calls.edit")
def open_call():
    """Open a port call; a plain POST is redirected back to the list."""
    try:
        fields = port_call_fields(request.form)
        call = open_port_call(db.session, **fields, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, form=request.form), bad_input_status()
    return _done(f"Port call at {call.port_name} opened.")


@bp.post("/<int:call_id>/close")
@permission_required("port_calls.edit")
def close_call(call_id: int):
    """Record the departure from a port call; with visitors still aboard, list them and ask."""
    db.get_or_404(PortCall, call_id)
    try:
        departed_at = parse_utc(request.form, "departed_at")
        call = close_port_call(
            db.session,
            call_id,
            departed_at=departed_at,
            now=utcnow(),
            confirm_aboard=aboard_ids(request.form),
        )
    except BadInput as exc:
        return _render(error=exc), bad_input_status()
    except StillAboard as exc:
        # Nothing was written: the SSO is asked first (409 tells a plain POST it was not done).
        departed = request.form.get("departed_at", "")
        return _render(still_aboard=exc, departed_at=departed), 200 if htmx else 409
    return _done(f"Port call at {call.port_name} closed.")


def aboard_ids(form) -> frozenset[int]:
    """Read the ids of the persons aboard the SSO saw when confirming a close (none: not yet)."""
    values = form.getlist("aboard")
    if not all(v.isascii() and v.isdigit() and len(v) < 10 for v in values):
        raise BadInput("aboard", "The list of persons aboard was not understood: close again.")
    return frozenset(int(v) for v in values)


@bp.post("/<int:call_id>/share-documents")
@permission_required("port_calls.edit")
def share_documents(call_id: int):
    """Show (share_documents=1) or mask (0) the call's document numbers for the PFSO."""
    db.get_or_404(PortCall, call_id)
    try:
        call = set_document_sharing(db.session, call_id, share=share_flag(request.form))
    except BadInput as exc:
        return _render(error=exc), bad_input_status()
    shown = "shown to" if call.share_documents else "masked for"
    return _done(f"Document numbers at {call.port_name} are {shown} the PFSO.")


def share_flag(source) -> bool:
    """Read `share_documents`: a form's "1"/"on" or "0"/"" (or none), or JSON true/false."""
    value = source.get("share_documents")
    if value is True or value in ("1", "on"):
        return True
    if value is None or value is False or value in ("", "0"):
        return False
    raise BadInput("share_documents", "'share_documents' must be true or false.")


def port_call_fields(source) -> dict:
    """Read the open form or a JSON object into open_port_call's keyword arguments."""
    for name in (*TEXT_FIELDS, "timezone", "arrived_at", "departs_at"):
        value = source.get(name)
        if value is not None and not isinstance(value, str):
            raise BadInput(name, f"'{name}' must be a string.")
    fields = {name: (source.get(name) or "").strip() or None for name in TEXT_FIELDS}
    fields["timezone"] = (source.get("timezone") or "").strip() or None
    fields["arrived_at"] = parse_utc(source, "arrived_at")
    fields["departs_at"] = parse_utc(source, "departs_at")
    fields["port_security_level"] = _level(source.get("port_security_level"))
    fields["share_documents"] = share_flag(source)
    return fields


def _level(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise BadInput("port_security_level", "The port's security level is 1, 2 or 3.")


def _render(
    *,
    error: BadInput | None = None,
    form=None,
    notice: str | None = None,
    still_aboard: StillAboard | None = None,
    departed_at: str = "",
):
    calls, now = list_port_calls(db.session), utcnow()
    found = shown_snapshots(db.session, [c.id for c in calls])
    return render_page_or_fragment(
        "port_calls/index.html",
        "port_calls/_list.html",
        calls=calls,
        reports={i: (snapshot_state(s, now), s) for i, (s, _) in found.items()},
        can_edit=can(current_user, "port_calls.edit"),
        error=error,
        form=form or {},
        notice=notice,
        still_aboard=still_aboard,
        departed_at=departed_at,
        local_time=local_time,
    )


def _done(message: str):
    return fragment_or_redirect(_render, message, "port_calls.index")
