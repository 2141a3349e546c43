"""Login, logout, the Flask-Login hooks and role checks for pages and the API."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from .dbtypes import utcnow
from .extensions import db, htmx, login_manager
from .models import User
from .services.accounts import authenticate, user_for_token

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "watch": "watch.index",
    "sso": "sso.onboard",
    "master": "sso.onboard",
    "pfso": "pfso.log",
}


def init_app(app):
    """Attach the blueprint and Flask-Login callbacks."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:
    """Authenticate API calls by `Authorization: Bearer TOKEN`."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    return user_for_token(db.session, header.removeprefix("Bearer ").strip())


@login_manager.unauthorized_handler
def _unauthorized():
    """Send htmx to the login page by HX-Redirect, the API a JSON 401, pages a redirect."""
    # htmx calls fragment URLs; after logging in, the watch belongs back on the page it was on.
    came_from = (
        urlsplit(request.headers.get("HX-Current-URL", "")).path if htmx else request.full_path
    )
    login_url = url_for("auth.login", next=_safe_next(came_from))
    if request.path.startswith("/api/"):
        return jsonify(error="unauthorized", message="Log in or send a valid bearer token."), 401
    if htmx:
        resp = current_app.response_class(status=401)
        resp.headers["HX-Redirect"] = login_url
        return resp
    return redirect(login_url)


def roles_required(*roles: str):
    """Allow the view only to logged-in users holding one of the roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                if request.path.startswith("/api/"):
                    return jsonify(error="forbidden", message="Your role may not do this."), 403
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the route-permission test
        return wrapped

    return decorator


def home_for(user) -> str:
    """Return the landing page URL for a user's role."""
    return url_for(HOME_BY_ROLE.get(user.role, "auth.account"))


def _safe_next(target: str | None) -> str | None:
    """Keep only same-site relative paths, so `next` cannot send the watch elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target.rstrip("?")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the user in."""
    if request.method == "POST":
        cfg = current_app.config
        user = authenticate(
            db.session,
            request.form.get("username", ""),
            request.form.get("password", ""),
            now=utcnow(),
            max_failures=cfg["LOGIN_MAX_FAILURES"],
            lockout=timedelta(seconds=cfg["LOGIN_LOCKOUT_SECONDS"]),
        )
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        flash("Wrong username or password, or the account is locked for a few minutes.", "error")
        return render_template("auth/login.html"), 401
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("auth/login.html")


@bp.post("/logout")
def logout():
    """Sign out and return to the login page."""
    logout_user()
    return redirect(url_for("auth.login"))


@bp.get("/")
@login_required
def account():
    """Land on the page for the user's role."""
    if current_user.role in HOME_BY_ROLE:
        return redirect(home_for(current_user))
    return render_template("auth/account.html")
