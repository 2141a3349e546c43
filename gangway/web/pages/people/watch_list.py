"""The SSO's watch list (B/9.12): add and remove entries; the master may read it."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.models import WatchListEntry
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.people.watch_list import add_entry, list_entries, remove_entry
from gangway.web.htmx_support import bad_input_status, fragment_or_redirect, render_page_or_fragment
from gangway.web.roles import can, permission_required

bp = Blueprint("watch_list", __name__, url_prefix="/sso/watch-list")
FIELDS = ("family_name", "given_names", "document_number", "reason")


@bp.get("/")
@permission_required("watch_list.read")
def index():
    """Show the entries in force, and the add form to the SSO."""
    return _render()


@bp.post("/")
@permission_required("watch_list.edit")
def add():
    """Add an entry; a plain POST is redirected back to the list."""
    form = {name: request.form.get(name, "") for name in FIELDS}
    try:
        entry = add_entry(db.session, **form, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc, form=form), bad_input_status()
    return _done(f"Added to the watch list: {_label(entry)}.")


@bp.post("/<int:entry_id>/remove")
@permission_required("watch_list.edit")
def remove(entry_id: int):
    """Take an entry off the watch list (it is kept, marked removed)."""
    db.get_or_404(WatchListEntry, entry_id)
    try:
        entry = remove_entry(db.session, entry_id, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render(error=exc), bad_input_status()
    return _done(f"Removed from the watch list: {_label(entry)}.")


def _render(*, error: BadInput | None = None, form: dict | None = None, notice: str | None = None):
    return render_page_or_fragment(
        "watch_list/index.html",
        "watch_list/_entries.html",
        entries=list_entries(db.session),
        can_edit=can(current_user, "watch_list.edit"),
        error=error,
        form=form or {},
        notice=notice,
    )


def _done(message: str):
    return fragment_or_redirect(_render, message, "watch_list.index")


def _label(entry: WatchListEntry) -> str:
    name = ", ".join(filter(None, [entry.family_name, entry.given_names]))
    return " · ".join(filter(None, [name, entry.document_number]))
