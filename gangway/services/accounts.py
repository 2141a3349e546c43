"""User accounts, API tokens and login with throttling."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ROLES, ApiToken, User
from ..prepared import Prepared
from . import audit
from .errors import BadInput

MIN_PASSWORD = 10
_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")
# Compared against when the user does not exist, so timing does not reveal valid usernames.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    *,
    hash_method: str = "scrypt",
    facility_name: str | None = None,
    facility_unlocode: str | None = None,
) -> User:
    """Create a user with a hashed password (scrypt: memory-hard); the caller commits.

    A PFSO names their port facility (and its port's UN/LOCODE): they read only those calls.
    """
    username = username.strip()
    if role not in ROLES:
        raise BadInput("role", f"Role must be one of: {', '.join(ROLES)}.")
    facility_name = (facility_name or "").strip() or None
    facility_unlocode = (facility_unlocode or "").strip().upper() or None
    if len(facility_name or "") > 120 or not _LOCODE.fullmatch(facility_unlocode or "XXXXX"):
        raise BadInput("facility_unlocode", "Facility name up to 120 characters; UN/LOCODE: 5.")
    if not username or len(username) > 64:
        raise BadInput("username", "Username must be 1 to 64 characters.")
    if len(password) < MIN_PASSWORD:
        raise BadInput("password", f"Password must be at least {MIN_PASSWORD} characters.")
    if session.scalars(select(User).where(User.username == username)).first():
        raise BadInput("username", f"User {username!r} already exists.")
    user = User(
        username=username,
        role=role,
        display_name=display_name or username,
        password_hash=generate_password_hash(password, method=hash_method),
        facility_name=facility_name,
        facility_unlocode=facility_unlocode,
    )
    session.add(user)
    return user


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
    name_key: str | bytes,
) -> User | None:
    """Return the user if the password matches and the account is not locked; count failures.

    After `max_failures` consecutive failures the account is locked for `lockout`, even for the
    right password, which stops online guessing at the tablet and through the API alike.
    """
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return _failed(session, _keyed_name(username, name_key), None, "unknown_user")
    if user.locked_until and user.locked_until > now:
        return _failed(session, username, user, "locked")
    if user.is_enabled and check_password_hash(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        session.commit()
        return user
    user.failed_logins += 1
    if user.failed_logins >= max_failures:
        user.locked_until, user.failed_logins = now + lockout, 0
    return _failed(session, username, user, "wrong_password" if user.is_enabled else "disabled")


def _keyed_name(username: str, key: str | bytes) -> str:
    """Return an HMAC-SHA-256 of an unknown user name, keyed by the app's secret key.

    People type passwords into the name field, and the chain cannot forget: a plain hash would
    be one dictionary lookup away for whoever reads a backup; this one needs the instance's
    secret too. Repeated tries of the same name still show as the same value.
    """
    key = key.encode() if isinstance(key, str) else key
    mac = hmac.new(hashlib.sha256(b"gangway-login-names:" + key).digest(), digestmod="sha256")
    mac.update(username.strip().encode())
    return mac.hexdigest()


def _failed(session: Session, username: str, user: User | None, reason: str) -> None:
    """Chain the failed login (ISPS A/10.3) and commit; `username` is the keyed hash of an
    unknown name (see _keyed_name)."""
    name = {"username": user.username} if user else {"username_hmac": username}
    locked_until = user.locked_until.isoformat() if user and user.locked_until else None
    data = {**name, "user_id": user.id if user else None, "reason": reason}
    audit.append(session, "login.failed", {**data, "locked_until": locked_until})
    session.commit()


def create_token(session: Session, user: User, name: str) -> str:
    """Create an API token for a user and return it; only its hash is stored."""
    token = "gw_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(token)))
    return token


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
_USER = Prepared(select(*_USER_COLUMNS).where(_U.id == bindparam("user_id")))


def user_for_token(session: Session, token: str) -> SignedIn | None:
    """Return the enabled user owning a live token."""
    row = _TOKEN_USER.first(session.connection(), {"token_hash": hash_token(token)})
    return SignedIn(*row) if row else None


def signed_in(session: Session, user_id: int) -> SignedIn | None:
    """Return the user a login session names (Flask-Login then refuses a disabled one)."""
    row = _USER.first(session.connection(), {"user_id": user_id})
    return SignedIn(*row) if row else None


def hash_token(token: str) -> str:
    """Return the SHA-256 hex of a token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
