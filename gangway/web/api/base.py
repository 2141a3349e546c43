"""What every JSON API blueprint shares: CSRF for session callers only, JSON errors."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from gangway.extensions import csrf, login_manager
from gangway.services import BadInput
from gangway.web.cookie_sessions import is_token_call


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """Return a blueprint under /api/v1 with the API's CSRF rule and error shapes."""
    bp = Blueprint(name, import_name, url_prefix="/api/v1")
    csrf.exempt(bp)  # bearer-token clients have no CSRF token; session callers are checked below
    bp.before_request(_csrf_for_session_callers)
    bp.register_error_handler(CSRFError, _csrf_error)
    bp.register_error_handler(BadInput, _bad_input)
    return bp


def _csrf_for_session_callers():
    """Answer 401 to a call with no credentials; else require the CSRF token unless the call
    authenticates by a bearer token.

    A bearer-token call never reads the session cookie (auth.TlsAwareSessions), so a cookie
    cannot authenticate it; any other call may ride on the cookie, whatever other headers
    (`Authorization: Basic`, a bogus scheme) it carries, and must prove it came from our page.
    Who calls is asked first: with no login behind it, a missing CSRF token is beside the point,
    and an integration must learn it needs a token (401), not a page's form token (400).
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or is_token_call(request):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if hasattr(view, "allowed_roles") and not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


def _csrf_error(exc: CSRFError):
    return jsonify(error="csrf", message=exc.description), 400


def _bad_input(exc: BadInput):
    status = 422 if exc.field in ("image", "file") else 400
    status = getattr(exc, "status", status)  # a late scan's refused claim names its own
    code = getattr(exc, "code", "bad_input")
    return jsonify(error=code, field=exc.field, message=exc.message), status


def json_body() -> dict:
    """Return the JSON object sent, or raise BadInput."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("body", "Send a JSON object.")
    return body
