"""Resolve what a person presented into the facts the core decides on.

A scanned text is a ship's badge (signed), a boarding pass (IATA BCBP, booking reference or ticket
number, matched to this port call's manifest) or nothing we know. A manual check names the person
and the identity document inspected.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import Person, WatchListEntry
from gangway.db.prepared import Prepared
from gangway.domain.codes.badges import InvalidBadge, is_badge_text, verify_badge
from gangway.domain.codes.bcbp import BcbpPass, InvalidBoardingPass, is_bcbp, parse_bcbp
from gangway.domain.codes.manifest import ManifestEntry, match_boarding_pass
from gangway.domain.scan import reasons
from gangway.domain.scan.identity import WatchEntry
from gangway.domain.scan.types import BadgeClaims, Credential, PersonKind, Reason
from gangway.services.errors import BadInput
from gangway.services.scan.rows import BadgeRow, PersonRow, badge_row, connection, person_row


@dataclass(frozen=True)
class Presented:
    """The credential as resolved: who it points to, or why it cannot be read."""

    credential: Credential
    person: PersonRow | None = None
    badge: BadgeRow | None = None
    claims: BadgeClaims | None = None
    problem: Reason | None = None
    boarding_pass: BcbpPass | None = None  # a pass read and matched to the manifest


def resolve_text(
    session: Session, text: str, keys: dict[int, Ed25519PublicKey], *, call_id: int | None
) -> Presented:
    """Read a scanned text as a badge or a boarding pass.

    :param call_id: the port call whose passenger list a boarding pass is matched against: the
        one the scan was made in, which for a scan sent late may have closed since (None: none).
    """
    if is_badge_text(text):
        try:
            claims = _verified(text, keys)
        except InvalidBadge as exc:
            return Presented(Credential.BADGE, problem=exc.reason)
        badge, holder = badge_row(session, claims.badge_id)
        return Presented(Credential.BADGE, holder, badge, claims)
    match = match_boarding_pass(text, _manifest_candidates(session, text, call_id))
    if match.entry is None and match.problem is None:
        return Presented(Credential.BADGE, problem=reasons.UNKNOWN_CODE)
    person = person_row(session, match.entry.person_id) if match.entry else None
    boarding_pass = match.boarding_pass if match.entry else None
    return Presented(
        Credential.BOARDING_PASS, person, problem=match.problem, boarding_pass=boarding_pass
    )


# Badge texts whose signature checked out, with the key that checked it: an Ed25519 check costs
# ~0.25 ms, and each badge is scanned again and again. Only genuine texts are kept, and only for
# the same key object, so a forged or edited text is always checked; validity and revocation are
# read from the database at every scan all the same.
_VERIFIED: dict[str, tuple[Ed25519PublicKey, BadgeClaims]] = {}
_VERIFIED_MAX = 20_000


def _verified(text: str, keys: dict[int, Ed25519PublicKey]) -> BadgeClaims:
    known = _VERIFIED.get(text)
    if known is not None and keys.get(known[1].key_id) is known[0]:
        return known[1]
    claims = verify_badge(text, keys)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[text] = (keys[claims.key_id], claims)
    return claims


def resolve_person(session: Session, person_id: int | None) -> Presented:
    """Look up the person whose identity document the watch inspected."""
    person = person_row(session, person_id) if person_id and 0 < person_id < 2**31 else None
    if person is None:
        raise BadInput("person_id", "Choose the person from the search results.")
    return Presented(Credential.ID_DOCUMENT, person)


def resolve_escort(
    session: Session, code: str | None, person_id: int | None, keys: dict[int, Ed25519PublicKey]
) -> PersonRow | None:
    """Return the crew member proposed as escort: by their scanned badge, or picked by id.

    :raises BadInput: the escort's badge cannot be read or is not valid now.
    """
    if code and code.strip():
        presented = resolve_text(session, code, keys, call_id=None)  # badges, as scanned
        if presented.problem or presented.badge is None or presented.badge.revoked_at:
            raise BadInput("escort", "The escort's badge could not be used: scan a crew badge.")
        return presented.person
    if person_id:
        if not 0 < person_id < 2**31:
            raise BadInput("escort_person_id", "Choose the escort from the crew aboard.")
        return person_row(session, person_id)
    return None


_WATCH_LIST = Prepared(
    select(
        WatchListEntry.id,
        WatchListEntry.reason,
        WatchListEntry.family_name,
        WatchListEntry.given_names,
        WatchListEntry.document_number,
        WatchListEntry.source,
    ).where(WatchListEntry.removed_at.is_(None))
)


def active_watch_list(session: Session) -> tuple[WatchEntry, ...]:
    """Return the watch list entries in force (a short list, read on every check)."""
    return tuple(WatchEntry(*row) for row in _WATCH_LIST.rows(connection(session)))


def _manifest_candidates(session: Session, text: str, call_id: int | None) -> list[ManifestEntry]:
    """Load the call's passengers whose booking or ticket could match the text."""
    if call_id is None:
        return []
    keys = {text.strip().upper()}
    if is_bcbp(text):
        with contextlib.suppress(InvalidBoardingPass):  # the matcher reports a malformed pass
            keys |= {leg.pnr.upper() for leg in parse_bcbp(text).legs}
    stmt = select(Person).where(
        Person.kind == PersonKind.PASSENGER.value,
        Person.port_call_id == call_id,
        Person.is_enabled,
        or_(
            func.upper(Person.booking_reference).in_(keys),
            func.upper(Person.ticket_number).in_(keys),
        ),
    )
    return [
        ManifestEntry(p.id, p.family_name, p.given_names, p.booking_reference, p.ticket_number)
        for p in session.scalars(stmt.limit(50))
    ]
