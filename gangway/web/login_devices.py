"""The device cookie: a tablet that logged in to an account is known to it at the next login.

A long-lived cookie signed with the app's secret names a random device id and the accounts
that logged in from it. Failed logins from elsewhere never slow a known device down
(gangway/web/login_throttle.py), so the gangway tablet cannot be kept out from another device.
It grants nothing by itself: the password is still checked.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gangway.web.login_throttle import Client

COOKIE = "gangway_device"
MAX_ACCOUNTS = 8  # a shared tablet: the watch, the SSO, the master ...


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="gangway-login-device")


def _read() -> tuple[str, list[str]]:
    """Return the device id and the accounts of a valid cookie, or ("", [])."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return "", []
    max_age = current_app.config["LOGIN_DEVICE_DAYS"] * 86400
    try:
        device, accounts = _serializer().loads(raw, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return "", []
    if not isinstance(device, str) or not isinstance(accounts, list):
        return "", []
    return device, [a for a in accounts if isinstance(a, str)]


def login_client(username: str) -> Client:
    """Return who is trying to log in to the account: its known device, else the address."""
    address = request.remote_addr or "-"
    device, accounts = _read()
    if device and username.strip() in accounts:
        return Client("device:" + device, address, True)
    return Client("address:" + address, address, False)


def remember_device(response, username: str) -> None:
    """Set (or renew) the device cookie after a successful login, naming this account too."""
    device, accounts = _read()
    accounts = [a for a in accounts if a != username][-(MAX_ACCOUNTS - 1) :] + [username]
    value = _serializer().dumps([device or secrets.token_urlsafe(16), accounts])
    response.set_cookie(
        COOKIE,
        value,
        max_age=current_app.config["LOGIN_DEVICE_DAYS"] * 86400,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure),
    )
