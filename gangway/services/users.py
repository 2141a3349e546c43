"""The admin's work on user accounts: create, role, facility, enable, password, unlock.

Each change is chained in its own transaction twice over: the row's entry, written by the session
hook (user.created, user.role_changed, user.enabled_changed, user.password_changed,
user.facility_changed), and an "admin.<action>" event naming who did it, which the row does not
hold. An unlock changes only counters the chain leaves out (every login attempt moves them), so
its event is its record. These functions commit; on bad input they change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import User
from . import audit
from .accounts import (
    check_password,
    check_role,
    clean_facility,
    create_user,
    generate_password,
)
from .errors import BadInput

MAX_DISPLAY_NAME = 120


@dataclass(frozen=True)
class UserRow:
    """A user as the admin's list shows them: the account and whether it is locked now."""

    user: User
    locked_until: datetime | None


def list_users(session: Session, now: datetime) -> list[UserRow]:
    """Return every user by username, with the end of the lock for those locked now."""
    users = session.scalars(select(User).order_by(User.username))
    return [UserRow(u, lock_end(u, now)) for u in users]


def lock_end(user: User, now: datetime) -> datetime | None:
    """Return when the user's lock ends, if the account is locked now."""
    until = user.locked_until
    return until if until and until > now else None


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    facility_name: str,
    facility_unlocode: str,
    must_change: bool,
    by,
    hash_method: str = "scrypt",
) -> tuple[User, str | None]:
    """Create a user; without a password one is made up. Return it (shown once) or None."""
    generated = None if password else generate_password()
    if len(display_name.strip()) > MAX_DISPLAY_NAME:
        raise BadInput("display_name", f"The name is at most {MAX_DISPLAY_NAME} characters.")
    if role == "pfso" and not facility_name.strip():
        raise BadInput("facility_name", "A PFSO needs their port facility's name.")
    user = create_user(
        session,
        username,
        role,
        password or generated,
        display_name.strip(),
        hash_method=hash_method,
        facility_name=facility_name,
        facility_unlocode=facility_unlocode,
    )
    user.must_change_password = must_change
    session.flush()
    record_action(session, "user_created", by, user=user, role=role, generated=bool(generated))
    session.commit()
    return user, generated


def change_role(session: Session, user: User, role: str, *, by) -> None:
    """Give the user another role; never the last enabled admin's."""
    check_role(role)
    if role == user.role:
        raise BadInput("role", f"{user.username} has that role already.")
    if role == "pfso" and not user.facility_name:
        raise BadInput("role", "Set the port facility first: a PFSO reads only its port calls.")
    if user.role == "admin":
        _keep_an_admin(session, user, "role")
    was, user.role = user.role, role
    record_action(session, "role_changed", by, user=user, role=role, was=was)
    session.commit()


def set_facility(session: Session, user: User, name: str, unlocode: str, *, by) -> None:
    """Set the port facility (name and UN/LOCODE) whose calls a PFSO reads."""
    name, unlocode = clean_facility(name, unlocode)
    if user.role == "pfso" and not name:
        raise BadInput("facility_name", "A PFSO needs their port facility's name.")
    if (name, unlocode) == (user.facility_name, user.facility_unlocode):
        raise BadInput("facility_name", "That is the facility already set: nothing changed.")
    user.facility_name, user.facility_unlocode = name, unlocode
    record_action(
        session, "facility_changed", by, user=user, facility_name=name, facility_unlocode=unlocode
    )
    session.commit()


def set_enabled(session: Session, user: User, enabled: bool, *, by) -> None:
    """Enable or disable a user (a disabled one cannot log in; their sessions and tokens stop)."""
    if user.is_enabled == enabled:
        state = "enabled" if enabled else "disabled"
        raise BadInput("enabled", f"{user.username} is {state} already.")
    if not enabled and user.role == "admin":
        _keep_an_admin(session, user, "enabled")
    user.is_enabled = enabled
    record_action(session, "user_enabled" if enabled else "user_disabled", by, user=user)
    session.commit()


def reset_password(
    session: Session,
    user: User,
    password: str,
    *,
    must_change: bool,
    by,
    now: datetime,
    hash_method: str = "scrypt",
) -> str | None:
    """Set a user's password (made up when empty) and unlock the account; return a made-up one.

    The user is asked to choose their own at the next login when `must_change` (never for the
    admin's own password: they chose it).
    """
    generated = None if password else generate_password()
    check_password(password or generated)
    unlocked = lock_end(user, now) is not None
    user.password_hash = generate_password_hash(password or generated, method=hash_method)
    user.must_change_password = must_change and user.id != by.id
    user.failed_logins, user.locked_until = 0, None
    record_action(
        session, "password_reset", by, user=user, generated=bool(generated), unlocked=unlocked
    )
    session.commit()
    return generated


def unlock(session: Session, user: User, *, by, now: datetime) -> None:
    """Lift a lock left by wrong passwords, before it runs out."""
    until = lock_end(user, now)
    if until is None:
        raise BadInput("unlock", f"{user.username} is not locked.")
    user.failed_logins, user.locked_until = 0, None
    record_action(session, "user_unlocked", by, user=user, locked_until=until.isoformat())
    session.commit()


def change_own_password(
    session: Session, user_id: int, current: str, new: str, again: str, *, hash_method="scrypt"
) -> None:
    """Let a user replace their password (a must after the admin chose it)."""
    user = session.get(User, user_id)
    if user is None or not check_password_hash(user.password_hash, current):
        raise BadInput("current_password", "That is not your current password.")
    check_password(new)
    if new != again:
        raise BadInput("again", "The two new passwords differ: type the same one twice.")
    if check_password_hash(user.password_hash, new):
        raise BadInput("password", "Choose a password other than the one you have now.")
    user.password_hash = generate_password_hash(new, method=hash_method)
    user.must_change_password = False
    session.commit()


def record_action(session: Session, action: str, by, *, user: User, **detail) -> None:
    """Chain who did what to whom ("admin.<action>"), in the caller's transaction."""
    data = {"by": by.username, "by_id": by.id, "user": user.username, "user_id": user.id}
    audit.append(session, f"admin.{action}", {**data, **detail})


def _keep_an_admin(session: Session, user: User, field: str) -> None:
    """Refuse to take away the last enabled admin (someone must be able to unlock the rest)."""
    # Hold the chain lock before counting, so that two admins disabling each other at once
    # cannot both see the other one left.
    audit.lock_chain(session.connection())
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.is_enabled, User.id != user.id)
    )
    if not others:
        session.rollback()
        message = f"{user.username} is the last enabled admin: make another admin first."
        raise BadInput(field, message)
