"""The ship's particulars and certificate (SSO edits, master reads), and the ISSC-expiry band."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.domain.reporting.security_report_form import CERTIFICATE_KINDS
from gangway.domain.ship.particulars import TEXTS
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.particulars import (
    FIELDS,
    certificate_alert_for,
    current_particulars,
    record_particulars,
)
from gangway.web.htmx_support import bad_input_status, fragment_or_redirect, render_page_or_fragment
from gangway.web.roles import permission_required

bp = Blueprint("particulars", __name__, url_prefix="/sso/particulars")


@bp.app_context_processor
def _certificate_alert():
    """Offer every page the ISSC-expiry alert for the SSO and the master (None for others),
    read only when a page asks: fragments and polls never do."""
    return {"certificate_alert": _alert}


def _alert():
    return certificate_alert_for(db.session, current_user, utcnow().date())


@bp.get("/")
@permission_required("particulars.read")
def index():
    """Show the particulars and certificate in force, with the form for the SSO."""
    return _form()


@bp.post("/")
@permission_required("particulars.edit")
def save():
    """Save the particulars as a new chained record."""
    form = {name: request.form.get(name, "") for name in FIELDS}
    form["ssp_approved_on_board"] = on_board = request.form.get("ssp_approved_on_board") == "yes"
    try:
        record_particulars(
            db.session, form, ssp_approved_on_board=on_board, user=current_user, now=utcnow()
        )
    except BadInput as exc:
        return _form(error=exc, form=form), bad_input_status()
    return fragment_or_redirect(_form, "Ship particulars saved.", "particulars.index")


def _form(*, error: BadInput | None = None, form: dict | None = None, notice: str | None = None):
    saved = current_particulars(db.session)
    if form is None and saved is not None:
        form = {name: getattr(saved, name) for name in (*FIELDS, "ssp_approved_on_board")}
    return render_page_or_fragment(
        "particulars/index.html",
        "particulars/_form.html",
        saved=saved,
        form=form or {"ssp_approved_on_board": True},
        kinds=CERTIFICATE_KINDS,
        labels=TEXTS,
        error=error,
        notice=notice,
    )
