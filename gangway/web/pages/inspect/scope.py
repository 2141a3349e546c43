"""The officer's inspection scope: a signed cookie of its own, sent to /inspect pages only.

It is not the session and not a login: Flask-Login never reads it, so every other route sees an
anonymous caller, and the browser does not even send it outside /inspect (its path). It holds
the access's id and a part of its code's hash; the row is checked on every request, so a
revocation or the expiry ends the scope at once. Code guesses slow down per address as failed
logins do (gangway.web.login_throttle), in a counter of their own: the ship's users never wait.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from gangway.web.login_throttle import Client, LoginThrottle

COOKIE = "gangway_inspection"
SALT = "gangway-inspection-scope"
CODES = "inspection-codes"  # the one "account" every code guess counts against


def read_scope() -> tuple[int, str] | None:
    """Return (access id, key) from a well-signed cookie, or None."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    ok = isinstance(value, list) and len(value) == 2
    if not ok or type(value[0]) is not int or not isinstance(value[1], str):
        return None
    return value[0], value[1]


def set_scope(response, access_id: int, key: str, expires_at) -> None:
    """Give the browser the scope of an opened access, until the access expires."""
    response.set_cookie(
        COOKIE,
        _serializer().dumps([access_id, key]),
        expires=expires_at,
        path=url_for("inspect.code"),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure),
    )


def clear_scope(response) -> None:
    """End the scope on this browser (the access itself stays until it expires or is revoked)."""
    response.delete_cookie(COOKIE, path=url_for("inspect.code"))


def code_client() -> Client:
    """Return who is guessing codes: the address (an officer's phone has no known device)."""
    address = request.remote_addr or "-"
    return Client("address:" + address, address, False)


def code_throttle() -> LoginThrottle:
    """Return the app's counter of wrong codes (one per app and process)."""
    key = "gangway.inspection_throttle"
    if key not in current_app.extensions:
        cfg = current_app.config
        current_app.extensions[key] = LoginThrottle(
            pair_cap_s=cfg["LOGIN_PAIR_CAP_SECONDS"],
            account_free=cfg["LOGIN_ACCOUNT_FREE_FAILURES"],
            account_cap_s=cfg["LOGIN_ACCOUNT_CAP_SECONDS"],
            address_free=cfg["LOGIN_FAILURES_PER_ADDRESS"],
        )
    return current_app.extensions[key]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)
