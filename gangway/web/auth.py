"""Login, logout and the Flask-Login hooks (who may do what: gangway.web.roles)."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from gangway.db.types import utcnow
from gangway.domain.accounts.permissions import ADMIN, CSO, MASTER, PFSO, SSO, WATCH, holds
from gangway.extensions import db, htmx, login_manager
from gangway.services.accounts.accounts import (
    Refused,
    authenticate,
    check_dummy_password,
    end_session,
)
from gangway.services.accounts.signed_in import SignedIn, signed_in, user_for_token
from gangway.web.cookie_sessions import TlsAwareSessions, is_token_call
from gangway.web.login_devices import login_client, remember_device
from gangway.web.login_throttle import throttle_for

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {  # where each role lands after logging in
    WATCH: "watch.index",
    SSO: "sso.onboard",
    MASTER: "sso.onboard",
    PFSO: "pfso.log",
    ADMIN: "admin.users",
}
SHORE_HOME_BY_ROLE = {  # ashore (SHORE): the fleet's pages
    CSO: "fleet.index",
    PFSO: "facility.index",
    ADMIN: "admin.users",
}


# Requests the tablet makes by itself (htmx polling): they must not keep an idle session alive.
POLLS = frozenset({"watch.onboard_count", "level_band.band", "refusals.alerts"})
# Session keys: last activity (epoch s), who to re-login, the server-side login session's id.
SEEN_AT, RELOGIN, SESSION_ID = "seen_at", "relogin", "sid"
# Static files and the service worker are fetched alongside pages: if their answers carried a
# refreshed session cookie, one finishing after a POST would put back the session from before it.
NOT_USE = POLLS | {"static", "watch.service_worker"}
SEEN_EVERY = 60  # seconds: refresh the activity time at most this often (fewer cookie rewrites)


def init_app(app):
    """Attach the blueprint, Flask-Login callbacks, the idle timeout and TLS-aware cookies."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)
    app.before_request(_expire_idle_watch)
    app.session_interface = TlsAwareSessions()
    if app.config.get("TRUSTED_PROXIES"):
        # X-Forwarded-Proto from the proxy in front makes request.is_secure true under TLS.
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)


def _expire_idle_watch():
    """Log the watch out after WATCH_IDLE_MINUTES without use; the tablet stays at the gangway.

    Only the browser session of the watch role counts (bearer tokens and other roles do not);
    polling is not use. The login page then offers a quick re-login for the same user.
    """
    limit = current_app.config.get("WATCH_IDLE_MINUTES") or 0
    if not limit or "_user_id" not in session:
        return None
    if not current_user.is_authenticated or not holds(current_user.role, "session.idle_logout"):
        return None
    now = utcnow().timestamp()
    if now - session.get(SEEN_AT, now) > limit * 60:
        username = current_user.username
        # No write here (a poll may be what finds it idle): any copy of this cookie carries
        # this SEEN_AT or an older one, so it is idle for good; logout ends the row itself.
        session.pop(SESSION_ID, None)
        logout_user()
        session.pop(SEEN_AT, None)
        session[RELOGIN] = username
        return login_manager.unauthorized()
    if request.endpoint not in NOT_USE and now - session.get(SEEN_AT, 0) >= SEEN_EVERY:
        session[SEEN_AT] = now
    return None


@login_manager.user_loader
def _load_user(user_id: str) -> SignedIn | None:
    if not user_id.isdigit() or int(user_id) >= 2**31:
        return None
    return signed_in(db.session, int(user_id), session.get(SESSION_ID))


@login_manager.request_loader
def _load_user_from_token(req) -> SignedIn | None:
    """Authenticate API calls by `Authorization: Bearer TOKEN`."""
    if not is_token_call(req):
        return None
    return user_for_token(db.session, req.headers["Authorization"].removeprefix("Bearer ").strip())


@login_manager.unauthorized_handler
def _unauthorized():
    """Send htmx to the login page by HX-Redirect, the API a JSON 401, pages a redirect."""
    # htmx calls fragment URLs; after logging in, the watch belongs back on the page it was on.
    came_from = (
        urlsplit(request.headers.get("HX-Current-URL", "")).path if htmx else request.full_path
    )
    login_url = url_for("auth.login", next=_safe_next(came_from))
    if request.path.startswith("/api/"):
        return _api_unauthorized()
    if htmx:
        resp = current_app.response_class(status=401)
        resp.headers["HX-Redirect"] = login_url
        return resp
    return redirect(login_url)


def _api_unauthorized():
    """Answer an API call that no login or token backs: 401, the Error body, a Bearer challenge.

    RFC 6750: a call with no credentials gets the bare challenge; one whose bearer token is
    unknown or revoked (or its user disabled) is told `invalid_token`: it needs a new token.
    """
    if is_token_call(request):
        challenge = 'Bearer realm="gangway", error="invalid_token"'
        message = "The bearer token is unknown or revoked, or its user is disabled: ask the admin."
    else:
        challenge = 'Bearer realm="gangway"'
        message = "Log in or send a valid bearer token."
    response = jsonify(error="unauthorized", message=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    return response


def home_for(user) -> str:
    """Return the landing page URL for a user's role (the account page if it has none here)."""
    homes = SHORE_HOME_BY_ROLE if current_app.config.get("SHORE") else HOME_BY_ROLE
    endpoint = homes.get(user.role)
    return url_for(endpoint if endpoint in current_app.view_functions else "auth.account")


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
        username, password = request.form.get("username", ""), request.form.get("password", "")
        throttle, client = throttle_for(current_app), login_client(username)
        if (wait := throttle.wait_s(username.strip(), client)) > 0:
            # Neither the password is checked nor anything written, but one hash is spent all
            # the same: the answer takes as long as any other try's.
            check_dummy_password(password)
            return _wait_page(wait)
        now = utcnow()
        outcome = authenticate(
            db.session, username, password, now=now, name_key=current_app.config["SECRET_KEY"]
        )
        if isinstance(outcome, Refused):
            throttle.failed(username.strip(), client)
            flash("Wrong username or password, or the account is disabled.", "error")
            return _login_page(), 401
        throttle.succeeded(username.strip(), client)
        session.pop(RELOGIN, None)
        login_user(outcome.user)
        session[SESSION_ID], session[SEEN_AT] = outcome.session_id, now.timestamp()
        response = redirect(_safe_next(request.args.get("next")) or home_for(outcome.user))
        remember_device(response, outcome.user.username)
        return response
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return _login_page()


def _wait_page(wait: float):
    """Answer a try that came too soon after failures: how long to wait (429), never a lock."""
    seconds = math.ceil(wait)
    flash(f"Too many wrong passwords: wait {seconds} s, then try again.", "error")
    response = current_app.make_response((_login_page(), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


def _login_page():
    """Render the login form; after an idle timeout, with the same user name filled in."""
    return render_template(
        "auth/login.html",
        relogin=session.get(RELOGIN),
        idle_minutes=current_app.config.get("WATCH_IDLE_MINUTES"),
    )


@bp.post("/logout")
def logout():
    """Sign out, ending the login on the server, and return to the login page."""
    _end_login(utcnow())
    session.pop(RELOGIN, None)
    return redirect(url_for("auth.login"))


def _end_login(now) -> None:
    """Log out here and on the server: a copy of the cookie opens nothing afterwards."""
    end_session(db.session, session.pop(SESSION_ID, None), now)
    logout_user()


@bp.get("/")
@login_required
def account():
    """Land on the page for the user's role."""
    home = home_for(current_user)
    if home != url_for("auth.account"):
        return redirect(home)
    return render_template("auth/account.html")
