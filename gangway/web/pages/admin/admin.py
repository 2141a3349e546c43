"""The admin's screens: users (this module), API tokens and the audit chain (admin_*.py).

Every route is the admin's only. A password or token made up here is shown once, in the answer
to the POST itself (never through the session cookie, which is signed, not encrypted), with
Cache-Control: no-store; every other change redirects after the POST as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, request, url_for
from flask_login import current_user

from gangway.db.models import User
from gangway.db.types import utcnow
from gangway.domain.accounts.permissions import NEW_USER_ROLE, ROLE_LABELS
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.accounts.users import (
    add_user,
    change_role,
    list_users,
    reset_password,
    set_enabled,
    set_facility,
)
from gangway.services.ship.ship import current_port_call
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.presenters import utc_and_local
from gangway.web.roles import permission_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
NEW_USER_FIELDS = ("username", "display_name", "role", "password", "facility_name")


@bp.context_processor
def _admin_context() -> dict:
    """Give the admin's templates the role names and a time formatter (UTC and port time)."""
    call = current_port_call(db.session)
    zone = call.timezone if call else None
    return {"role_labels": ROLE_LABELS, "when": lambda at: utc_and_local(at, zone)}


@bp.get("/users")
@permission_required("users.manage")
def users():
    """List every user, with the form to add one."""
    return _users_page()


@bp.post("/users")
@permission_required("users.manage")
def create_user():
    """Add a user; a password left empty is made up and shown once."""
    form = {name: request.form.get(name, "") for name in (*NEW_USER_FIELDS, "facility_unlocode")}
    try:
        user, secret = add_user(
            db.session, **form, must_change=_ticked("must_change"), by=current_user
        )
    except BadInput as exc:
        return _users_page(error=exc, form=form), bad_input_status()
    message = f"Added {user.username} ({ROLE_LABELS[user.role]})."
    return done(_users_page, message, "admin.users", secret=_shown(user, secret))


@bp.get("/users/<int:user_id>")
@permission_required("users.manage")
def user(user_id: int):
    """Show one user with the forms that change them."""
    return _user_page(db.get_or_404(User, user_id))


@bp.post("/users/<int:user_id>/role")
@permission_required("users.manage")
def role(user_id: int):
    """Give the user another role (never the last enabled admin's)."""
    target, role = db.get_or_404(User, user_id), request.form.get("role", "")
    message = f"{target.username} is now: {ROLE_LABELS.get(role, role)}."
    return _change(target, change_role, role, message)


@bp.post("/users/<int:user_id>/facility")
@permission_required("users.manage")
def facility(user_id: int):
    """Set the port facility whose calls a PFSO reads."""
    target = db.get_or_404(User, user_id)
    name, code = request.form.get("facility_name", ""), request.form.get("facility_unlocode", "")
    return _change(target, set_facility, name, code, f"Port facility set for {target.username}.")


@bp.post("/users/<int:user_id>/enabled")
@permission_required("users.manage")
def enabled(user_id: int):
    """Disable or enable the user (never the last enabled admin)."""
    target = db.get_or_404(User, user_id)
    on = request.form.get("enabled") == "1"
    state = "enabled" if on else "disabled: they cannot log in, nor use their API tokens"
    return _change(target, set_enabled, on, f"{target.username} is {state}.")


@bp.post("/users/<int:user_id>/password")
@permission_required("users.manage")
def password(user_id: int):
    """Set or make up a new password."""
    target = db.get_or_404(User, user_id)
    try:
        secret = reset_password(
            db.session,
            target,
            request.form.get("password", ""),
            must_change=_ticked("must_change"),
            by=current_user,
            now=utcnow(),
        )
    except BadInput as exc:
        return _user_page(target, error=exc), bad_input_status()
    message = f"New password set for {target.username}."
    return done(_back_to(target), message, *_came_from(target), secret=_shown(target, secret))


def done(render: Callable[..., str], message: str, endpoint: str, values=None, *, secret=None):
    """Answer a change: htmx (or a secret to show once) gets the page, else redirect-after-POST."""
    if htmx or secret:
        response = make_response(render(notice=message, secret=secret))
        if secret:
            response.headers["Cache-Control"] = "no-store"
        return response
    flash(message, "info")
    return redirect(url_for(endpoint, **(values or {})))


def _change(target: User, service, *args):
    """Run a one-form change of a user; *args end with the message said when it is done."""
    *values, message = args
    try:
        service(db.session, target, *values, by=current_user)
    except BadInput as exc:  # the service changed nothing (services/users.py)
        return _user_page(db.session.get(User, target.id), error=exc), bad_input_status()
    return done(_back_to(target), message, "admin.user", {"user_id": target.id})


def _back_to(target: User) -> Callable[..., str]:
    """Re-render where the form was: the list or the user's own page."""
    if htmx and htmx.target == "admin-users":
        return _users_page
    return lambda **kw: _user_page(target, **kw)


def _came_from(target: User) -> tuple[str, dict]:
    """Return where a plain POST goes back to: the list it came from, or the user's page."""
    if request.form.get("back") == "users":
        return "admin.users", {}
    return "admin.user", {"user_id": target.id}


def _users_page(**context) -> str:
    rows = list_users(db.session, utcnow())
    context.setdefault("form", {"role": NEW_USER_ROLE})
    return render_page_or_fragment("admin/users.html", "admin/_users.html", rows=rows, **context)


def _user_page(target: User, **context) -> str:
    return render_page_or_fragment("admin/user.html", "admin/_user.html", user=target, **context)


def _ticked(name: str) -> bool:
    return request.form.get(name) == "1"


def _shown(target: User, secret: str | None) -> dict | None:
    return {"username": target.username, "password": secret} if secret else None
