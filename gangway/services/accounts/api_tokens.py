"""The admin's API tokens: issue one for a user (shown once, only its hash kept), list, revoke.

The rows are chained by the session hook (api_token.created, api_token.revoked), each with an
"admin.<action>" event naming the admin (gangway.services.accounts.users.record_action).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from gangway.db.models import ApiToken, User
from gangway.services.accounts.accounts import add_token
from gangway.services.accounts.users import record_action
from gangway.services.errors import BadInput

MAX_NAME = 64


def list_tokens(session: Session) -> list[ApiToken]:
    """Return every token with its owner: live ones first, newest first."""
    stmt = (
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(stmt))


def token_owners(session: Session) -> list[User]:
    """Return the users a token may be issued for: the enabled ones, by username."""
    return list(session.scalars(select(User).where(User.is_enabled).order_by(User.username)))


def issue_token(
    session: Session, owner_id: int | None, name: str, *, by, now: datetime
) -> tuple[ApiToken, str]:
    """Create a token for an enabled user; return the row and the token (shown once)."""
    name = name.strip()
    owner = session.get(User, owner_id) if owner_id else None
    if owner is None:
        raise BadInput("owner", "Choose whose token it is.")
    if not owner.is_enabled:
        raise BadInput("owner", f"{owner.username} is disabled: enable the account first.")
    if not name or len(name) > MAX_NAME:
        raise BadInput("name", f"Name the token (what it is for), 1 to {MAX_NAME} characters.")
    row, token = add_token(session, owner, name)
    row.created_at = now
    session.flush()
    record_action(session, "token_created", by, user=owner, token_id=row.id, name=name)
    session.commit()
    return row, token


def revoke_token(session: Session, token: ApiToken, *, by, now: datetime) -> None:
    """Revoke a token: the API answers 401 to it from now on. The row is kept (chained)."""
    if token.revoked_at is not None:
        raise BadInput("token", f"The token {token.name!r} is revoked already.")
    token.revoked_at = now
    record_action(session, "token_revoked", by, user=token.user, token_id=token.id, name=token.name)
    session.commit()


def mark_device(session: Session, token: ApiToken, is_device: bool, *, by) -> None:
    """Mark a token as a tablet's (it may send scans made offline) or take that away.

    Chained: api_token.device_changed by the session hook, with an "admin.token_device" event.
    """
    if token.revoked_at is not None:
        raise BadInput("token", f"The token {token.name!r} is revoked.")
    if token.is_device == is_device:
        return
    token.is_device = is_device
    detail = {"token_id": token.id, "name": token.name, "is_device": is_device}
    record_action(session, "token_device", by, user=token.user, **detail)
    session.commit()
