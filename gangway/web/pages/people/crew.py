"""The crew list and crew changes: the SSO signs crew off and on; the master may read the list."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.domain.lists.crew import BADGE_STATES, FILTERS
from gangway.domain.lists.crew_lists import spec_for
from gangway.domain.reporting.access_log import local_time
from gangway.domain.scan.identity import DOCUMENT_TYPES
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.people.badges import crew_badge_until
from gangway.services.people.crew import crew_list, crew_member
from gangway.services.people.crew_changes import CrewMemberRefused, sign_off, sign_on, sign_on_new
from gangway.web.common import signing
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.pages.people.document_photo_field import (
    document_photo_preview,
    kept_document_photo,
)
from gangway.web.roles import can, permission_required

bp = Blueprint("crew", __name__, url_prefix="/sso/crew")
FIELDS = spec_for("crew").header


@bp.get("/")
@permission_required("crew.read")
def index():
    """List the crew: search by name, rank or document; on board, ashore or signed off."""
    return _render("crew/_list.html")


@bp.get("/<int:person_id>/sign-off")
@permission_required("crew.edit")
def confirm_sign_off(person_id: int):
    """Ask before signing a crew member off, saying what it does (and if they are aboard)."""
    return _confirm(person_id, "sign-off")


@bp.get("/<int:person_id>/sign-on")
@permission_required("crew.edit")
def confirm_sign_on(person_id: int):
    """Ask before signing a crew member on, saying how long the new badge is valid."""
    return _confirm(person_id, "sign-on")


@bp.post("/<int:person_id>/sign-off")
@permission_required("crew.edit")
def sign_off_member(person_id: int):
    """Sign a crew member off: their badges are revoked and they may no longer board."""
    try:
        done = sign_off(db.session, person_id, user=current_user, now=utcnow())
    except BadInput as exc:
        return _render("crew/_list.html", error=exc), bad_input_status()
    revoked = ", ".join(str(b.id) for b in done.revoked)
    message = f"{done.person.display_name} signed off: " + (
        f"badge {revoked} revoked." if revoked else "no badge to revoke."
    )
    if done.was_aboard:
        message += " Still recorded on board: their departure is recorded as they leave."
    return _done(message)


@bp.post("/<int:person_id>/sign-on")
@permission_required("crew.edit")
def sign_on_member(person_id: int):
    """Sign a signed-off crew member on again, with a new permanent badge."""
    try:
        badge = sign_on(db.session, person_id, user=current_user, now=utcnow(), signing=signing())
    except BadInput as exc:
        return _render("crew/_list.html", error=exc), bad_input_status()
    return _done(f"{badge.person.display_name} signed on: badge {badge.id} issued. Print its card.")


@bp.route("/new", methods=["GET", "POST"])
@permission_required("crew.edit")
def new():
    """Sign on a new crew member typed in (the crew list's fields) and issue the badge."""
    if request.method == "GET":
        return _form()
    values = {name: request.form.get(name, "") for name in FIELDS}
    try:
        badge = sign_on_new(
            db.session,
            values,
            user=current_user,
            now=utcnow(),
            signing=signing(),
            document_photo=kept_document_photo(request.form),
        )
    except CrewMemberRefused as exc:
        return _form({p.column: p.message for p in exc.problems}), 400
    except BadInput as exc:
        return _form({exc.field: exc.message}), 400
    flash(f"{badge.person.display_name} signed on: badge {badge.id} issued. Print the card.", "ok")
    return redirect(url_for("visitors.show", badge_id=badge.id))


def _confirm(person_id: int, action: str):
    member = crew_member(db.session, person_id, utcnow()) or abort(404)
    until = crew_badge_until(member.person.document_expires_on, utcnow())
    return _render("crew/_confirm.html", confirm=member, action=action, badge_until=until)


def _view() -> dict[str, str]:
    """Return the search and view the SSO was on (query string, or a form's hidden fields)."""
    return {"q": request.values.get("q", ""), "show": request.values.get("show", "")}


def _render(fragment: str, **context):
    view, now = _view(), utcnow()
    crew = crew_list(db.session, query=view["q"], show=view["show"], now=now)
    return render_page_or_fragment(
        "crew/index.html",
        fragment,
        crew=crew,
        filters=FILTERS,
        badge_states=BADGE_STATES,
        can_edit=can(current_user, "crew.edit"),
        local=partial(local_time, timezone=crew.time_zone),
        **context,
    )


def _done(message: str):
    """Answer a change: the list with the message for htmx, else flash it and redirect."""
    if htmx:
        return _render("crew/_list.html", notice=message)
    flash(message, "ok")
    view = _view()
    return redirect(url_for("crew.index", q=view["q"] or None, show=view["show"] or None))


def _form(errors: dict[str, str] | None = None, **more):
    more = {"form": request.form} | more  # `form`: the fields filled from a document photo
    return render_template(
        "crew/new.html",
        errors=errors or {},
        document_types=DOCUMENT_TYPES.values(),
        document_photo_preview=document_photo_preview(more["form"]),
        **more,
    )
