"""The session cookie: Secure under TLS, and never read nor written for a bearer-token call."""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface


def is_token_call(req) -> bool:
    """Tell whether an API request authenticates by a bearer token (never by the cookie)."""
    return req.path.startswith("/api/") and req.headers.get("Authorization", "").startswith(
        "Bearer "
    )


class TlsAwareSessions(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS.

    `gangway serve --tls-*` and a trusted proxy saying https both count, so the cookie never
    travels in clear text after a login over TLS; SESSION_COOKIE_SECURE forces it always.
    A bearer-token call neither reads nor writes the session: a token client that keeps and
    sends back cookies stays a token client, and a cookie never rides along with a token.
    """

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app, request):
        # No cookie (API clients, a first visit): skip building the signer, ~30 us a request.
        if self.get_cookie_name(app) not in request.cookies or is_token_call(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if is_token_call(request):
            return None
        return super().save_session(app, session, response)
