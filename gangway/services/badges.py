"""Issue badges: the row is written first so its id can be signed into the code."""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ..domain.badges import encode_badge
from ..domain.types import BadgeClaims
from ..models import Badge, Person, User

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
