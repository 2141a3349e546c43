"""The SSO's refused entries (B/9.12): the alert, the list to acknowledge, the incident report."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import roles_required
from ..dbtypes import utcnow
from ..extensions import db, htmx
from ..htmx_support import render_page_or_fragment
from ..incident_pdf import render_incident_report
from ..models import Refusal
from ..services import BadInput
from ..services.refusals import (
    FOLLOW_UP_FIELDS,
    acknowledge,
    alert_state,
    refusal_entry,
    refusals_for_review,
    ship_name,
)
from .person_form import clean, parse_utc

bp = Blueprint("refusals", __name__, url_prefix="/sso/refusals")
READERS = ("sso", "master")
EDITORS = ("sso",)
TIME_FIELDS = ("reported_to_cso_at", "reported_to_pfso_at", "reported_to_authorities_at")


@bp.get("/")
@roles_required(*READERS)
def index():
    """List open refusals first (highlighted), then recent acknowledged ones."""
    return _render()


@bp.post("/<int:refusal_id>/acknowledge")
@roles_required(*EDITORS)
def acknowledge_refusal(refusal_id: int):
    """Record the SSO's follow-up; htmx gets the list back, a plain POST a redirect."""
    db.get_or_404(Refusal, refusal_id)
    try:
        fields = follow_up_fields(request.form)
        acknowledge(db.session, refusal_id, **fields, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, error_id=refusal_id, form=request.form), 200 if htmx else 400
    message = f"Refusal r-{refusal_id} acknowledged."
    if htmx:
        return _render(notice=message)
    flash(message, "info")
    return redirect(url_for("refusals.index"))


@bp.get("/alerts")
@roles_required(*READERS)
def alerts():
    """Return the polled alert: how many refusals wait, and the newest one."""
    return render_template("refusals/_alerts.html", alert=alert_state(db.session))


@bp.get("/<int:refusal_id>/incident.pdf")
@roles_required(*READERS)
def incident_pdf(refusal_id: int):
    """Send the one-page incident report of a refusal."""
    entry = refusal_entry(db.session, refusal_id)
    if entry is None:
        abort(404)
    pdf = render_incident_report(entry, ship_name(db.session, current_app.config["SHIP_NAME"]))
    response = current_app.response_class(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="incident-r-{refusal_id}.pdf"'
    return response


def follow_up_fields(source) -> dict:
    """Read the follow-up fields from a form or a JSON object (times entered in UTC)."""
    for name in FOLLOW_UP_FIELDS:
        value = source.get(name)
        if value is not None and not isinstance(value, str):
            raise BadInput(name, f"'{name}' must be a string.")
    fields = {name: parse_utc(source, name) for name in TIME_FIELDS}
    for name in ("response", "description"):
        fields[name] = clean(source, name, 4000)
    for name in ("location_in_port", "location_on_vessel", "authorities"):
        fields[name] = clean(source, name)
    return fields


def _render(*, error=None, error_id=None, form=None, notice=None):
    return render_page_or_fragment(
        "refusals/index.html",
        "refusals/_list.html",
        board=refusals_for_review(db.session),
        can_edit=current_user.role in EDITORS,
        error=error,
        error_id=error_id,
        form=form or {},
        notice=notice,
    )
