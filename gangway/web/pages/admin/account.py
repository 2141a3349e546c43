"""A user's own password: chosen at the next login after the admin set one, or at any time.

While the admin's password stands (must_change_password), a browser session reaches nothing but
this page and logging out: the admin knows that password, and records signed in that session
would not be the user's alone. API tokens are separate credentials and are not held up.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.accounts.users import change_own_password
from gangway.web.auth import POLLS, home_for
from gangway.web.roles import permission_required

bp = Blueprint("account", __name__, url_prefix="/account")
# What a user who must change their password may still reach: this page, logging out, and the
# polls of the page itself (the level band), which must not reload it while they type.
OPEN = POLLS | {"account.password", "account.change_password", "auth.logout", "auth.login"}
OPEN |= {"static", "watch.service_worker"}


@bp.get("/password")
@permission_required("account.password")
def password():
    """Show the form to choose a new password."""
    return render_template("account/password.html", error=None)


@bp.post("/password")
@permission_required("account.password")
def change_password():
    """Replace the user's password, then go on to their home page."""
    form = request.form
    try:
        change_own_password(
            db.session,
            current_user.id,
            form.get("current_password", ""),
            form.get("password", ""),
            form.get("again", ""),
        )
    except BadInput as exc:
        return render_template("account/password.html", error=exc), 400
    return redirect(home_for(current_user))


@bp.before_app_request
def _own_password_first():
    """Send a browser session whose password the admin chose to this page first."""
    if "_user_id" not in session or request.endpoint in OPEN:
        return None  # token requests carry no login session: they are never held up here
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    target = url_for("account.password")
    if request.path.startswith("/api/"):
        message = "Choose your own password first (the admin set this one)."
        return {"error": "password_change_required", "message": message}, 403
    if htmx:
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)
