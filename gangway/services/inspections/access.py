"""Inspection accesses: the SSO or master issues and revokes them; the officer opens one.

A code (read out) and a one-time link (shown as a QR) are drawn at random and shown once; only
their SHA-256 hashes are kept, like API tokens. The rows are chained by the session hook
(inspection.issued, inspection.revoked, inspection.opened when the link is used); opening by
code is an "inspection.opened" event. Nothing here logs anyone in: the web layer keeps the
access's id in a signed cookie of its own, checked against the row on every request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from gangway.db.models import InspectionAccess, User
from gangway.domain.inspections.access import (
    ALPHABET,
    CODE_LENGTH,
    OPEN,
    access_state,
    code_from_numbers,
    hours_problem,
    normalise_code,
)
from gangway.services.accounts.signed_in import hash_token
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import append, lock_chain
from gangway.services.errors import BadInput
from gangway.services.ship.ship import current_port_call

MAX_OFFICER = 120
LINK_BYTES = 24  # 32 URL-safe characters: 192 bits, never guessed
LINK_LENGTH = 32
ENDED = "This inspection access has ended: ask the SSO for a new code."
USED = "This link has been used already: type the code instead, or ask the SSO for a new one."
UNKNOWN_LINK = "This inspection link is not valid: ask the SSO for a new code."


class AccessEnded(Exception):
    """The access asked for is unknown, used up, expired or revoked: `message` says which."""

    def __init__(self, message: str = ENDED):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Issued:
    """A new access with its code and link token: shown once, never kept."""

    access: InspectionAccess
    code: str
    link: str


def issue_access(
    session: Session, *, officer: str | None, hours: float, user: User, now: datetime
) -> Issued:
    """Issue an access valid `hours` from now; return it with its code and link; commit.

    :raises BadInput: an officer's name too long or a validity out of range.
    """
    officer = (officer or "").strip() or None
    if officer and len(officer) > MAX_OFFICER:
        raise BadInput("officer", f"Keep the officer's name under {MAX_OFFICER} characters.")
    if problem := hours_problem(hours):
        raise BadInput("hours", problem)
    code = code_from_numbers([secrets.randbelow(len(ALPHABET)) for _ in range(CODE_LENGTH)])
    link = secrets.token_urlsafe(LINK_BYTES)
    access = InspectionAccess(
        code_hash=hash_token(code),
        link_hash=hash_token(link),
        officer=officer,
        issued_at=now,
        issued_by_id=user.id,
        expires_at=now + timedelta(hours=hours),
    )
    with unit_of_work(session):
        session.add(access)
    return Issued(access, code, link)


def revoke_access(
    session: Session, access_id: int, *, user: User, now: datetime
) -> InspectionAccess:
    """Revoke an open access: its code, link and the officer's open pages stop at once; commit.

    :raises BadInput: no such access, or it has ended already.
    """
    access = session.get(InspectionAccess, access_id)
    if access is None:
        raise BadInput("access", "No such inspection access.")
    if access_state(access.expires_at, access.revoked_at, now) != OPEN:
        raise BadInput("access", "This inspection access has ended already.")
    with unit_of_work(session):
        access.revoked_at, access.revoked_by_id = now, user.id
    return access


def access_overview(session: Session, *, now: datetime, limit: int = 20) -> dict:
    """Return the latest accesses, newest first, each with its state, and the port's time zone."""
    stmt = (
        select(InspectionAccess)
        .options(joinedload(InspectionAccess.issued_by))
        .order_by(InspectionAccess.id.desc())
        .limit(limit)
    )
    rows = [(a, access_state(a.expires_at, a.revoked_at, now)) for a in session.scalars(stmt)]
    call = current_port_call(session)
    return {"accesses": rows, "zone": call.timezone if call else None}


def open_by_code(session: Session, typed: str | None, *, now: datetime) -> InspectionAccess | None:
    """Open an access by its code (chained as inspection.opened); None if no access has it.

    :raises AccessEnded: the code's access has expired or been revoked.
    """
    code = normalise_code(typed)
    access = _by_hash(session, InspectionAccess.code_hash, code) if code else None
    if access is None:
        return None
    with unit_of_work(session):
        _check_open(access, now)
        append(session, "inspection.opened", {"access_id": access.id, "by": "code"})
    return access


def link_problem(session: Session, token: str, *, now: datetime) -> str | None:
    """Return why a link cannot open its access (unknown, used, ended), or None; reads only."""
    access = _by_hash(session, InspectionAccess.link_hash, token)
    if access is None:
        return UNKNOWN_LINK
    if access.link_used_at is not None:
        return USED
    if access_state(access.expires_at, access.revoked_at, now) != OPEN:
        return ENDED
    return None


def open_by_link(session: Session, token: str, *, now: datetime) -> InspectionAccess:
    """Open an access by its one-time link, using the link up (inspection.opened); commit.

    :raises AccessEnded: the link is unknown or used, or its access has ended.
    """
    with unit_of_work(session):
        # Take the chain's write lock before reading: two phones posting the same link at once
        # take turns, and the second is told it is used (one-time, on PostgreSQL too).
        lock_chain(session.connection())
        if problem := link_problem(session, token, now=now):
            raise AccessEnded(problem)
        access = _by_hash(session, InspectionAccess.link_hash, token)
        access.link_used_at = now
    return access


def live_access(session: Session, access_id: int, key: str, *, now: datetime) -> InspectionAccess:
    """Return the access a signed cookie names if it is still open and the key still matches.

    :raises AccessEnded: it does not exist, the key differs, or it has expired or been revoked.
    """
    access = session.get(InspectionAccess, access_id)
    if access is None or not secrets.compare_digest(scope_key(access), key):
        raise AccessEnded()
    _check_open(access, now)
    return access


def scope_key(access: InspectionAccess) -> str:
    """Return what the officer's cookie carries besides the id: a part of the code's hash."""
    return access.code_hash[:16]


def _check_open(access: InspectionAccess, now: datetime) -> None:
    if access_state(access.expires_at, access.revoked_at, now) != OPEN:
        raise AccessEnded()


def _by_hash(session: Session, column, secret: str) -> InspectionAccess | None:
    return session.scalars(select(InspectionAccess).where(column == hash_token(secret))).first()
