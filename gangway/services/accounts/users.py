"""The admin's work on user accounts: create, role, facility, enable, password.

Each change is chained in its own transaction twice over: the row's entry, written by the session
hook (user.created, user.role_changed, user.enabled_changed, user.password_changed,
user.facility_changed), and an "admin.<action>" event naming who did it, which the row does not
hold. These functions commit; on bad input they change nothing. No account is ever locked
(failed logins slow down per client: gangway/web/login_throttle.py), so there is nothing to unlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from gangway.db.models import User
from gangway.domain.accounts.permissions import holds, roles_for
from gangway.services.accounts.accounts import (
    check_password,
    check_role,
    clean_facility,
    create_user,
    generate_password,
)
from gangway.services.audit import audit
from gangway.services.errors import BadInput

MAX_DISPLAY_NAME = 120


@dataclass(frozen=True)
class UserRow:
    """A user as the admin's list shows them."""

    user: User


def list_users(session: Session, now: datetime) -> list[UserRow]:
    """Return every user by username."""
    return [UserRow(u) for u in session.scalars(select(User).order_by(User.username))]


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
    if holds(role, "port_calls.facility_only") and not facility_name.strip():
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
    if holds(role, "port_calls.facility_only") and not user.facility_name:
        raise BadInput("role", "Set the port facility first: a PFSO reads only its port calls.")
    if holds(user.role, "users.manage"):
        _keep_an_admin(session, user, "role")
    was, user.role = user.role, role
    record_action(session, "role_changed", by, user=user, role=role, was=was)
    session.commit()


def set_facility(session: Session, user: User, name: str, unlocode: str, *, by) -> None:
    """Set the port facility (name and UN/LOCODE) whose calls a PFSO reads."""
    name, unlocode = clean_facility(name, unlocode)
    if holds(user.role, "port_calls.facility_only") and not name:
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
    if not enabled and holds(user.role, "users.manage"):
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
    """Set a user's password (made up when empty); return a made-up one.

    The user is asked to choose their own at the next login when `must_change` (never for the
    admin's own password: they chose it).
    """
    generated = None if password else generate_password()
    check_password(password or generated)
    user.password_hash = generate_password_hash(password or generated, method=hash_method)
    user.must_change_password = must_change and user.id != by.id
    record_action(session, "password_reset", by, user=user, generated=bool(generated))
    session.commit()
    return generated


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
        .where(User.role.in_(roles_for("users.manage")), User.is_enabled, User.id != user.id)
    )
    if not others:
        session.rollback()
        message = f"{user.username} is the last enabled admin: make another admin first."
        raise BadInput(field, message)
