"""The CSO's fleet watch list (shore server only): add and remove entries every ship takes."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.models import FleetWatchEntry
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.shore.fleet_watch import (
    add_fleet_entry,
    current_version,
    list_fleet_entries,
    remove_fleet_entry,
    ships_holding,
)
from gangway.web.htmx_support import bad_input_status, fragment_or_redirect, render_page_or_fragment
from gangway.web.presenters import utc_and_local
from gangway.web.roles import can, permission_required

bp = Blueprint("fleet_watch", __name__, url_prefix="/fleet/watch-list")
FIELDS = ("family_name", "given_names", "date_of_birth", "document_number", "reason")


@bp.get("/")
@permission_required("fleet_watch.read")
def index():
    """Show the fleet list in force and its version, and the add form."""
    return _render()


@bp.post("/")
@permission_required("fleet_watch.edit")
def add():
    """Add an entry for every ship; a plain POST is redirected back to the list."""
    form = {name: request.form.get(name, "") for name in FIELDS}
    try:
        entry = add_fleet_entry(db.session, **form, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, form=form), bad_input_status()
    return _done(f"Added to the fleet watch list: {label(entry)}. Ships take it at next contact.")


@bp.post("/<int:entry_id>/remove")
@permission_required("fleet_watch.edit")
def remove(entry_id: int):
    """Take an entry off the fleet list; the ships lift it at their next contact."""
    db.get_or_404(FleetWatchEntry, entry_id)
    try:
        entry = remove_fleet_entry(db.session, entry_id, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc), bad_input_status()
    return _done(f"Removed from the fleet watch list: {label(entry)}.")


def _render(*, error: BadInput | None = None, form: dict | None = None, notice: str | None = None):
    return render_page_or_fragment(
        "fleet_watch/index.html",
        "fleet_watch/_entries.html",
        entries=list_fleet_entries(db.session),
        version=current_version(db.session),
        ships=ships_holding(db.session),
        when=utc_and_local,
        can_edit=can(current_user, "fleet_watch.edit"),
        error=error,
        form=form or {},
        notice=notice,
    )


def _done(message: str):
    return fragment_or_redirect(_render, message, "fleet_watch.index")


def label(entry: FleetWatchEntry) -> str:
    """Name an entry in a notice: its name, birth date and document, as given."""
    name = ", ".join(filter(None, [entry.family_name, entry.given_names]))
    born = f"born {entry.date_of_birth.isoformat()}" if entry.date_of_birth else None
    return " · ".join(filter(None, [name, born, entry.document_number]))
