"""The SSO's refused entries (B/9.12): the alert, the list to acknowledge, the incident report."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_htmx import make_response
from flask_login import current_user

from gangway.db.models import Refusal
from gangway.db.types import utcnow
from gangway.domain.scan.reasons import label
from gangway.domain.ship.follow_ups import (
    REPORT_TIMES,
    direction_word,
    port_text,
    reason_labels,
    utc_text,
)
from gangway.extensions import db, htmx
from gangway.render.incident_pdf import render_incident_report
from gangway.services import BadInput
from gangway.services.ship.follow_ups import FOLLOW_UP_FIELDS, TEXTS, acknowledge, acknowledge_many
from gangway.services.ship.refusals import (
    alert_state,
    refusal_entry,
    refusals_for_review,
    ship_name,
)
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.roles import can, permission_required

bp = Blueprint("refusals", __name__, url_prefix="/sso/refusals")
ACKNOWLEDGED = "refusals-acknowledged"  # the banner and any other count listen for it


@bp.context_processor
def _words() -> dict:
    """Give the refusal templates plain words for times, reasons and directions."""
    return {
        "utc_text": utc_text,
        "port_text": port_text,
        "reason_label": label,
        "reason_labels": reason_labels,
        "direction_word": direction_word,
        "report_times": REPORT_TIMES,
    }


@bp.get("/")
@permission_required("refusals.read")
def index():
    """List open refusals first (one line each), then recent acknowledged ones."""
    return _render()


@bp.post("/<int:refusal_id>/acknowledge")
@permission_required("refusals.acknowledge")
def acknowledge_refusal(refusal_id: int):
    """Record a follow-up of one refusal; htmx gets the list back, a plain POST a redirect."""
    db.get_or_404(Refusal, refusal_id)
    try:
        fields = follow_up_fields(request.form)
        acknowledge(db.session, refusal_id, **fields, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, error_for=refusal_id, form=request.form), bad_input_status()
    return _acknowledged(f"Refusal r-{refusal_id} acknowledged.")


@bp.post("/acknowledge")
@permission_required("refusals.acknowledge")
def acknowledge_ticked():
    """Acknowledge every ticked refusal with one response (one follow-up each, all or none)."""
    try:
        ids = refusal_ids(request.form.getlist("refusal_id"), typed=True)
        fields = follow_up_fields(request.form)
        done = acknowledge_many(db.session, ids, **fields, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, error_for="bulk", form=request.form), bad_input_status()
    names = ", ".join(f"r-{f.refusal_id}" for f in done)
    return _acknowledged(f"{len(done)} refused {_entries(len(done))} acknowledged: {names}.")


@bp.get("/alerts")
@permission_required("refusals.read")
def alerts():
    """Return the polled alert: how many refusals wait, and the newest one."""
    return render_template("refusals/_alerts.html", alert=alert_state(db.session))


@bp.get("/<int:refusal_id>/incident.pdf")
@permission_required("refusals.read")
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
        if name in source and not isinstance(source.get(name), str):  # JSON null or a number
            raise BadInput(name, f"'{name}' must be a string.")
    texts = {name: source.get(name) for name in TEXTS}  # the service strips and bounds them
    return texts | {name: _time(source, name) for name in REPORT_TIMES}


def refusal_ids(values: list, *, typed: bool = False) -> list[int]:
    """Read refusal ids: JSON integers, or (typed) the form's text of ASCII digits."""
    ids = []
    for value in values:
        if typed and isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value) if len(value) <= 18 else 0  # 0, like any huge id, names no refusal
        if type(value) is not int:  # bool is an int too, and never an id
            raise BadInput("refusal_ids", "Refusal ids are whole numbers, e.g. [12, 14].")
        ids.append(value)
    return ids


def _time(source, name: str) -> datetime | None:
    """Parse a time typed in UTC (2026-12-06 14:05, or ISO 8601 with an offset)."""
    value = (source.get(name) or "").strip()
    if not value:
        return None
    try:
        if len(value) > 40:
            raise ValueError(value)
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset pushes it past year 1 or 9999
        message = f"{REPORT_TIMES[name]}: write the time in UTC, 24-hour, as 2026-12-06 14:05."
        raise BadInput(name, message) from None


def _entries(count: int) -> str:
    return "entry" if count == 1 else "entries"


def _acknowledged(message: str):
    """Answer a recorded acknowledgement: the list and the event the counts listen for."""
    if htmx:
        response = make_response(_render(notice=message), trigger=ACKNOWLEDGED)
        # Scrolled to the list's top: the notice and the new count show where the SSO looks.
        response.headers["HX-Reswap"] = "outerHTML show:top"  # flask-htmx refuses modifiers
        return response
    flash(message, "info")
    return redirect(url_for("refusals.index"))


def _render(*, error=None, error_for=None, form=None, notice=None):
    return render_page_or_fragment(
        "refusals/index.html",
        "refusals/_list.html",
        board=refusals_for_review(db.session),
        can_edit=can(current_user, "refusals.acknowledge"),
        error=error,
        error_for=error_for,
        form=form or {},
        ticked=set(form.getlist("refusal_id")) if form and error_for == "bulk" else set(),
        notice=notice,
        now=utcnow(),
    )
