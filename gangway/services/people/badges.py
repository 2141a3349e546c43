"""Issue badges: the row is written first so its id can be signed into the code."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from gangway.db.models import Badge, Person, User
from gangway.domain.codes.badges import encode_badge
from gangway.domain.scan.types import BadgeClaims

PERMANENT_VALIDITY = timedelta(days=5 * 365)  # crew ID cards: renewed with the contract


def issue_badge(
    session: Session,
    person: Person,
    *,
    valid_from: datetime,
    valid_until: datetime,
    private_key: Ed25519PrivateKey,
    key_id: int,
    issued_by: User | None = None,
    now: datetime,
    permanent: bool = False,
) -> Badge:
    """Create and sign a badge for a person; the caller commits."""
    badge = Badge(
        person=person,
        code="",  # placeholder until the id exists; signed below in the same transaction
        key_id=key_id,
        valid_from=valid_from.replace(microsecond=0),
        valid_until=valid_until.replace(microsecond=0),
        is_permanent=permanent,
        issued_at=now,
        issued_by_id=issued_by.id if issued_by else None,
    )
    session.add(badge)
    session.flush()
    claims = BadgeClaims(badge.id, badge.valid_from, badge.valid_until, key_id)
    badge.code = encode_badge(claims, private_key)
    return badge


def issue_crew_badge(
    session: Session,
    person: Person,
    *,
    private_key: Ed25519PrivateKey,
    key_id: int,
    issued_by: User | None = None,
    now: datetime,
) -> Badge:
    """Issue a crew member's permanent badge, valid from now to crew_badge_until."""
    return issue_badge(
        session,
        person,
        valid_from=now,
        valid_until=crew_badge_until(person.document_expires_on, now),
        private_key=private_key,
        key_id=key_id,
        issued_by=issued_by,
        now=now,
        permanent=True,
    )


def crew_badge_until(expires_on: date | None, now: datetime) -> datetime:
    """End a crew badge with the document, and at the latest after the permanent validity."""
    longest = now + PERMANENT_VALIDITY
    if expires_on is None:
        return longest
    return min(datetime.combine(expires_on, time(23, 59, 59), tzinfo=UTC), longest)
