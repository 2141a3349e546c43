"""User accounts, API tokens, logins and their server-side sessions."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from gangway.db.models import ROLES, ApiToken, LoginSession, User
from gangway.services.accounts.signed_in import hash_token
from gangway.services.audit import audit
from gangway.services.errors import BadInput

MIN_PASSWORD = 10
MAX_PASSWORD = 200  # longer ones are no safer, and hashing them costs more
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out and typed by hand
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
    check_role(role)
    facility_name, facility_unlocode = clean_facility(facility_name, facility_unlocode)
    if not username or len(username) > 64:
        raise BadInput("username", "Username must be 1 to 64 characters.")
    check_password(password)
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


def check_role(role: str) -> None:
    """Refuse a role that is not one of ROLES."""
    if role not in ROLES:
        raise BadInput("role", f"Role must be one of: {', '.join(ROLES)}.")


def check_password(password: str) -> None:
    """Refuse a password too short to resist guessing (or too long to hash quickly)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        message = f"Password must be at least {MIN_PASSWORD} characters (at most {MAX_PASSWORD})."
        raise BadInput("password", message)


def clean_facility(name: str | None, unlocode: str | None) -> tuple[str | None, str | None]:
    """Return a PFSO's facility name and UN/LOCODE trimmed (None when empty), or refuse them."""
    name = (name or "").strip() or None
    unlocode = (unlocode or "").strip().upper() or None
    if len(name or "") > 120:
        raise BadInput("facility_name", "The facility name is at most 120 characters.")
    if not _LOCODE.fullmatch(unlocode or "XXXXX"):
        raise BadInput("facility_unlocode", "A UN/LOCODE is 5 letters, e.g. NLRTM.")
    return name, unlocode


@dataclass(frozen=True)
class Refused:
    """Why a login failed (told to no one: every failure reads the same)."""

    reason: str  # unknown_user, wrong_password, disabled


@dataclass(frozen=True)
class Opened:
    """A login that succeeded: the user and the id of its server-side session (for the cookie)."""

    user: User
    session_id: str


def authenticate(
    session: Session, username: str, password: str, *, now: datetime, name_key: str | bytes
) -> Opened | Refused:
    """Open a login session if the password matches an enabled account; chain a failure.

    Exactly one password hash is checked whatever the outcome (a made-up one for an unknown
    name), so the answer time tells nothing. Nothing locks an account: repeated failures slow
    down per account and client (gangway/web/login_throttle.py), and user.failed_logins /
    locked_until are neither read nor written.
    """
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return _failed(session, _keyed_name(username, name_key), None, "unknown_user")
    if check_password_hash(user.password_hash, password) and user.is_enabled:
        return Opened(user, start_session(session, user.id, now))
    reason = "wrong_password" if user.is_enabled else "disabled"
    return _failed(session, username, user, reason)


def check_dummy_password(password: str) -> None:
    """Spend one password hash for a try answered without checking (a throttled one)."""
    check_password_hash(_DUMMY_HASH, password)


def start_session(session: Session, user_id: int, now: datetime) -> str:
    """Record a browser login on the server and commit; return its id for the session cookie."""
    session_id = secrets.token_urlsafe(32)
    session.add(LoginSession(user_id=user_id, token_hash=hash_token(session_id), started_at=now))
    session.commit()
    return session_id


def end_session(session: Session, session_id: str | None, now: datetime) -> None:
    """End a browser login on the server (logout, idle timeout): its cookie opens nothing more."""
    if not session_id:
        return
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == hash_token(session_id), LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    session.commit()


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


def _failed(session: Session, username: str, user: User | None, reason: str) -> Refused:
    """Chain the failed login (ISPS A/10.3) and commit; `username` is the keyed hash of an
    unknown name (see _keyed_name)."""
    name = {"username": user.username} if user else {"username_hmac": username}
    data = {**name, "user_id": user.id if user else None, "reason": reason}
    audit.append(session, "login.failed", data)
    session.commit()
    return Refused(reason)


def generate_password() -> str:
    """Return a random password that is easy to read out and type: 4 groups of 4 characters."""
    groups = ("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def create_token(session: Session, user: User, name: str) -> str:
    """Create an API token for a user and return it; only its hash is stored."""
    return add_token(session, user, name)[1]


def add_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Add an API token's row for a user; return it and the token (only its hash is stored)."""
    token = "gw_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token))
    session.add(row)
    return row, token
