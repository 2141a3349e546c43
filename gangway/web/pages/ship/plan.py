"""The SSO's ship security plan page: access points per level, settings, suspensions, responders.

The master may read it and may suspend or resume embarkation and disembarkation (B/9.17).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from gangway.domain.scan.types import PersonKind
from gangway.domain.ship.plan import LEVELS, POINT_USES, OpenLevels
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.ship.plan import add_access_point, plan_overview, save_access_plan
from gangway.services.ship.plan_settings import (
    set_crew_at_level_3,
    set_passback,
    set_responder,
    set_suspension,
    update_plan_settings,
)
from gangway.web.htmx_support import render_page_or_fragment
from gangway.web.roles import can, permission_required

bp = Blueprint("plan", __name__, url_prefix="/sso/plan")
PERSON_KINDS = {
    PersonKind.CREW: "Crew",
    PersonKind.PASSENGER: "Passengers",
    PersonKind.VISITOR: "Visitors",
    PersonKind.CONTRACTOR: "Contractors",
    PersonKind.AUTHORITY: "Authorities",
}


@bp.get("/")
@permission_required("plan.read")
def index():
    """Show the plan; the SSO can change it, the master can read it and toggle suspensions."""
    return _render("points")


@bp.post("/points")
@permission_required("plan.edit")
def points():
    """Save the access point table: open per level (one point at level 3) and enabled."""
    form = request.form
    try:
        save_access_plan(
            db.session,
            form.getlist("code"),
            open_1=form.getlist("open_1"),
            open_2=form.getlist("open_2"),
            open_3=form.get("open_3"),
            enabled=form.getlist("enabled"),
            uses={c: form.get(f"use_{c}", "") for c in form.getlist("code") if f"use_{c}" in form},
        )
    except BadInput as exc:
        return _render("points", error=exc), 200 if htmx else 400
    return _done("points", "Access plan saved.")


@bp.post("/points/new")
@permission_required("plan.edit")
def add_point():
    """Add a means of access, open at the levels ticked."""
    form = request.form
    open_at = OpenLevels(n for n in LEVELS if form.get(f"new_open_{n}"))
    try:
        point = add_access_point(
            db.session, form.get("code", ""), form.get("name", ""), form.get("kind", ""), open_at
        )
    except BadInput as exc:
        return _render("points", error=exc, form=form), 200 if htmx else 400
    return _done("points", f"Access point {point.code} added.")


@bp.post("/settings")
@permission_required("plan.edit")
def settings():
    """Save the search share per level, crew searches, the escort ratio and escorted kinds."""
    form = request.form
    try:
        update_plan_settings(
            db.session,
            search_percents=[form.get(f"search_percent_{n}", "") for n in (1, 2, 3)],
            search_crew=bool(form.get("search_crew")),
            escort_ratio=form.get("escort_ratio", ""),
            escorted_kinds=form.getlist("escorted_kinds"),
        )
    except BadInput as exc:
        return _render("settings", error=exc, form=form), 200 if htmx else 400
    return _done("settings", "Search and escort settings saved.")


@bp.post("/passback")
@permission_required("plan.edit")
def passback():
    """Save, per kind of person, whether boarding twice or leaving twice is refused."""
    form = request.form
    try:
        set_passback(
            db.session,
            refuse_board=form.getlist("refuse_board"),
            refuse_depart=form.getlist("refuse_depart"),
        )
    except BadInput as exc:
        return _render("passback", error=exc, form=form), 200 if htmx else 400
    return _done("passback", "Anti-passback saved.")


@bp.post("/suspension")
@permission_required("plan.suspend")
def suspension():
    """Suspend or resume embarkation and disembarkation."""
    form = request.form
    ship = set_suspension(
        db.session,
        embarkation=form.get("embarkation") == "suspended",
        disembarkation=form.get("disembarkation") == "suspended",
    )
    words = {True: "suspended", False: "allowed"}
    return _done(
        "suspension",
        f"Embarkation {words[ship.embarkation_suspended]}, "
        f"disembarkation {words[ship.disembarkation_suspended]}.",
    )


@bp.post("/crew-at-level-3")
@permission_required("plan.edit")
def crew_at_level_3():
    """Say whether the crew board at level 3 (part of the response) or only responders do."""
    ship = set_crew_at_level_3(db.session, crew_board=request.form.get("crew_board") == "1")
    who = "the crew and those responding" if ship.crew_board_at_level_3 else "only those responding"
    return _done("responders", f"At security level 3 {who} board.")


@bp.post("/responders/<int:person_id>")
@permission_required("plan.edit")
def responder(person_id: int):
    """Mark an authority as responding to the incident, or not."""
    try:
        person = set_responder(db.session, person_id, request.form.get("is_responder") == "1")
    except BadInput:
        abort(404)
    state = "responding" if person.is_responder else "not responding"
    return _done("responders", f"{person.display_name}: {state}.")


def _render(section: str, *, error: BadInput | None = None, form=None, notice: str | None = None):
    return render_page_or_fragment(
        "plan/index.html",
        f"plan/_{section}.html",
        plan=plan_overview(db.session),
        point_uses=POINT_USES,
        person_kinds=PERSON_KINDS,
        can_edit=can(current_user, "plan.edit"),
        errors={section: error} if error else {},
        notices={section: notice} if notice else {},
        form=form or {},
    )


def _done(section: str, message: str):
    """Answer a change: the refreshed section for htmx, redirect-after-POST otherwise."""
    if htmx:
        return _render(section, notice=message)
    flash(message, "info")
    return redirect(url_for("plan.index"))
