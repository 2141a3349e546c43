"""Who a request runs as: the user of an API token or of a live login session, in one query.

Every request needs its user (API calls by token, pages by session), so the lookups are Core
statements compiled once (gangway.db.prepared), and the user is a slotted object, not an ORM entity.
"""

from __future__ import annotations

import hashlib

from flask_login import UserMixin
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gangway.db.models import ApiToken, LoginSession, User
from gangway.db.prepared import Prepared


class SignedIn(UserMixin):
    """The user a request runs as: what views and services read of a User, from one query.

    Every request needs its user (API calls by token, pages by session); loading the ORM
    entity cost ~0.4 ms, as much as the rest of a scan's reads together.
    """

    __slots__ = SIGNED_IN_FIELDS = (
        "id",
        "username",
        "display_name",
        "role",
        "is_enabled",
        "facility_name",
        "facility_unlocode",
        "must_change_password",
    )

    def __init__(self, *values):
        for name, value in zip(self.SIGNED_IN_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled

    def __repr__(self) -> str:
        return f"<SignedIn {self.id} {self.username} {self.role}>"


_U, _T = User.__table__.c, ApiToken.__table__.c
_USER_COLUMNS = [_U[name] for name in SignedIn.SIGNED_IN_FIELDS]
_TOKEN_USER = Prepared(  # one query, compiled once: every API request pays it
    select(*_USER_COLUMNS)
    .join_from(ApiToken.__table__, User.__table__, _T.user_id == _U.id)
    .where(_T.token_hash == bindparam("token_hash"), _T.revoked_at.is_(None), _U.is_enabled)
)
_S = LoginSession.__table__.c
_SESSION_USER = Prepared(  # the session's user, only while the login is not ended
    select(*_USER_COLUMNS)
    .join_from(LoginSession.__table__, User.__table__, _S.user_id == _U.id)
    .where(
        _S.token_hash == bindparam("token_hash"),
        _S.user_id == bindparam("user_id"),
        _S.ended_at.is_(None),
    )
)


def user_for_token(session: Session, token: str) -> SignedIn | None:
    """Return the enabled user owning a live token."""
    row = _TOKEN_USER.first(session.connection(), {"token_hash": hash_token(token)})
    return SignedIn(*row) if row else None


def signed_in(session: Session, user_id: int, session_id: str | None) -> SignedIn | None:
    """Return the user a login session names while it is live on the server (Flask-Login then
    refuses a disabled one); a cookie from before logout, or without a session id, names no one."""
    if not session_id:
        return None
    params = {"user_id": user_id, "token_hash": hash_token(session_id)}
    row = _SESSION_USER.first(session.connection(), params)
    return SignedIn(*row) if row else None


def hash_token(token: str) -> str:
    """Return the SHA-256 hex of a token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
