"""The SSO's and master's security level page, Declarations of Security, and the live band."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_htmx import make_response
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.domain.ship.declarations import ORDERED_BY, SHIP_PARTY_ROLES
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.ship.declarations import (
    declaration_defaults,
    declarations,
    record_declaration,
)
from gangway.services.ship.security_level import (
    level_history,
    level_state,
    set_level,
    set_port_level,
)
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import permission_required

bp = Blueprint("security", __name__, url_prefix="/sso/security")
band_bp = Blueprint("level_band", __name__)
LEVEL_FIELDS = ("level", "reason", "ordered_by", "notified_at", "complied_at")
DOS_FIELDS = (
    "level",
    "ship_party_name",
    "ship_party_role",
    "port_party_name",
    "port_facility",
    "reason",
    "measures",
    "valid_from",
    "valid_until",
    "signed_at",
)
DOS_TIMES = ("valid_from", "valid_until", "signed_at")


@band_bp.get("/level-band")
@permission_required("level.read")
def band():
    """Return the security level band alone; every page polls it."""
    return render_template("_level_band.html")


@bp.get("/")
@permission_required("level.set")
def index():
    """Show the level in force, the port facility's level, the change form and the history."""
    return _panel()


@bp.post("/level")
@permission_required("level.set")
def change_level():
    """Record a change of the ship's security level."""
    form = {name: request.form.get(name, "") for name in LEVEL_FIELDS}
    try:
        times = {name: parse_utc(form, name) for name in ("notified_at", "complied_at")}
        change = set_level(db.session, **{**form, **times}, user=current_user, now=utcnow())
    except BadInput as exc:
        return _panel(error=exc, form=form), 200 if htmx else 400
    return _done(f"Security level {change.level} is in force.")


@bp.post("/port-level")
@permission_required("level.set")
def port_level():
    """Record the port facility's security level for this port call."""
    try:
        call = set_port_level(
            db.session, request.form.get("port_level", ""), user=current_user, now=utcnow()
        )
    except BadInput as exc:
        return _panel(error=exc), 200 if htmx else 400
    return _done(f"Port facility level {call.port_security_level} recorded.")


@bp.route("/declarations", methods=["GET", "POST"])
@permission_required("declarations.record")
def declaration_list():
    """List the Declarations of Security, newest first, and record a new one."""
    if request.method == "GET":
        return _declarations()
    form = {name: request.form.get(name, "") for name in DOS_FIELDS}
    try:
        times = {name: parse_utc(form, name) for name in DOS_TIMES}
        record_declaration(db.session, **{**form, **times}, user=current_user, now=utcnow())
    except BadInput as exc:
        return _declarations(error=exc, form=form), 200 if htmx else 400
    message = "Declaration of Security recorded."
    if htmx:
        return _declarations(notice=message)
    flash(message, "info")
    return redirect(url_for("security.declaration_list"))


def _panel(*, error: BadInput | None = None, form: dict | None = None, notice: str | None = None):
    now = utcnow()
    return render_page_or_fragment(
        "security/index.html",
        "security/_panel.html",
        state=level_state(db.session, now),
        history=level_history(db.session),
        ordered_by=ORDERED_BY,
        now=now,
        error=error,
        form=form or {},
        notice=notice,
    )


def _done(message: str):
    """Answer a change: the refreshed panel (and a band refresh) for htmx, PRG otherwise."""
    if htmx:
        return make_response(_panel(notice=message), trigger="level-changed")
    flash(message, "info")
    return redirect(url_for("security.index"))


def _declarations(*, error=None, form: dict | None = None, notice: str | None = None):
    now = utcnow()
    return render_page_or_fragment(
        "security/declarations.html",
        "security/_declarations.html",
        declarations=declarations(db.session),
        defaults=declaration_defaults(db.session, now),
        roles=SHIP_PARTY_ROLES,
        error=error,
        form=form or {},
        notice=notice,
    )
