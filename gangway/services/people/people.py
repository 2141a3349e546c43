"""Register visitors, contractors and authorities, and issue their temporary badges (B/9.11)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from gangway.db.models import Badge, Person, User
from gangway.domain.lists.countries import read_country
from gangway.domain.scan.identity import find_watch_list_match, list_name
from gangway.imaging.id_photos import store_id_photo
from gangway.imaging.images import ImageRejected
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.people.badges import issue_badge
from gangway.services.people.document_photos import add_document_photo
from gangway.services.scan.credentials import active_watch_list
from gangway.services.ship.ship import current_port_call, current_port_call_id

REGISTERED_KINDS = ("visitor", "contractor", "authority")
AUTHORITY_ROLES = {
    "psc_officer": "Port state control officer",
    "pilot": "Pilot",
    "customs": "Customs",
    "immigration": "Immigration",
    "police": "Police",
    "class_surveyor": "Class surveyor",
}
DEFAULT_VISIT = timedelta(hours=12)  # when no port call is open, or it has no scheduled departure


@dataclass(frozen=True)
class PhotoUpload:
    """An uploaded ID photo and where and how to store it."""

    data: bytes
    instance_path: Path
    limits: dict


@dataclass(frozen=True)
class NewPerson:
    """The registration form, as typed by the SSO (strings stripped, empty -> None)."""

    kind: str
    family_name: str
    given_names: str = ""
    company: str | None = None
    nationality: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    document_issuing_state: str | None = None
    purpose: str | None = None
    host: str | None = None
    notes: str | None = None
    work_order: str | None = None
    work_order_valid_from: datetime | None = None
    work_order_valid_until: datetime | None = None
    authority_role: str | None = None
    date_of_birth: date | None = None  # read off the document (Check ID matches on it)
    document_expires_on: date | None = None


# A badge code carries its times as 32-bit Unix seconds (domain/badges.py).
_BADGE_TIMES = (datetime.fromtimestamp(0, UTC), datetime.fromtimestamp(2**32 - 1, UTC))


def default_validity(session: Session, now: datetime) -> tuple[datetime, datetime]:
    """Return the default badge window: from now until the end of the current port call."""
    call = current_port_call(session)
    until = call.departs_at if call and call.departs_at and call.departs_at > now else None
    return now, until or now + DEFAULT_VISIT


def register_person(session: Session, new: NewPerson, **details) -> Badge:
    """Create the person and their signed temporary badge, and commit (bad input: nothing).

    `details` are add_person's. The person and badge rows chain themselves (services/audit.py)
    in the same transaction.
    """
    with unit_of_work(session):
        return add_person(session, new, **details)


def add_person(
    session: Session,
    new: NewPerson,
    *,
    valid_from: datetime,
    valid_until: datetime,
    user: User,
    now: datetime,
    signing: dict,
    photo: PhotoUpload | None = None,
    long_term: bool = False,
    document_photo: bytes | None = None,
) -> Badge:
    """Add the person and their signed temporary badge to the open unit of work (a group's).

    The badge is for the open port call (refused once it is closed) unless `long_term`: then
    its dates alone bound it. The photo is stored only once the registration is known to be valid.
    `document_photo`: a JPEG of their document the SSO keeps on the record (document_photos.py).
    """
    new = with_country_codes(new)
    check_new_person(session, new, valid_from, valid_until)
    photo_path = None
    if photo is not None:
        try:
            photo_path = store_id_photo(photo.instance_path, photo.data, **photo.limits)
        except ImageRejected as exc:
            raise BadInput("photo", exc.message) from None
    person = Person(**{f.name: getattr(new, f.name) for f in fields(new)}, photo_path=photo_path)
    if document_photo is not None:
        add_document_photo(session, person, document_photo, user=user, now=now)
    badge = issue_badge(
        session,
        person,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=user,
        now=now,
        **signing,
    )
    if not long_term:  # it ends with the call (B/9.11 temporary identification)
        badge.port_call_id = current_port_call_id(session)
    return badge


def with_country_codes(new: NewPerson) -> NewPerson:
    """Return the registration with its countries as stored (NO, NOR, Norway: NOR).

    :raises BadInput: a nationality or issuing state that is no country.
    """
    codes = {}
    for name in ("nationality", "document_issuing_state"):
        if value := getattr(new, name):
            code, wrong = read_country(value)
            if wrong:
                raise BadInput(name, wrong)
            codes[name] = code
    return replace(new, **codes)


def check_new_person(
    session: Session, new: NewPerson, valid_from: datetime, valid_until: datetime
) -> None:
    """Refuse an incomplete registration, or one of a person on the watch list."""
    if new.kind not in REGISTERED_KINDS:
        raise BadInput("kind", "Register a visitor, a contractor or an authority.")
    if not new.family_name:
        raise BadInput("family_name", "Family name is required.")
    if not new.purpose:
        raise BadInput("purpose", "State the purpose of the visit.")
    if valid_until <= valid_from:
        raise BadInput("valid_until", "The badge must end after it starts.")
    if valid_from < _BADGE_TIMES[0] or valid_until > _BADGE_TIMES[1]:
        raise BadInput("valid_until", "A badge is valid between 1970 and 2106 at the most.")
    if new.kind == "contractor" and not new.work_order:
        raise BadInput("work_order", "A contractor needs a work order number.")
    if new.kind == "contractor" and not new.work_order_valid_until:
        raise BadInput("work_order_valid_until", "Give the date and time the work order ends.")
    if new.kind == "authority" and new.authority_role not in AUTHORITY_ROLES:
        raise BadInput("authority_role", "Choose which authority the person represents.")
    if new.kind == "authority" and not new.document_number:
        raise BadInput("document_number", "Record the number of the official's own ID card.")
    match = find_watch_list_match(
        new.family_name, new.given_names, new.document_number, active_watch_list(session)
    )
    if match:
        raise BadInput("family_name", f"On {list_name(match)}: {match.reason}. No badge issued.")


def revoke_badge(
    session: Session, badge: Badge, reason: str, *, user: User, now: datetime
) -> Badge:
    """Revoke a badge with the reason, and commit (bad input: nothing)."""
    with unit_of_work(session):
        return mark_revoked(session, badge, reason, user=user, now=now)


def mark_revoked(
    session: Session, badge: Badge, reason: str, *, user: User, now: datetime
) -> Badge:
    """Revoke a badge in the open unit of work (a reissue's, a sign-off's)."""
    if not reason.strip():
        raise BadInput("reason", "Say why the badge is revoked.")
    if badge.revoked_at is not None:
        raise BadInput("badge", "This badge is already revoked.")
    badge.revoked_at, badge.revoked_reason, badge.revoked_by_id = now, reason.strip()[:255], user.id
    return badge


def reissue_badge(
    session: Session, old: Badge, *, user: User, now: datetime, signing: dict
) -> Badge:
    """Issue a new badge for the same person and window end, revoke the old one, and commit.

    :raises BadInput: the holder is signed off the crew (signing on issues their next badge).
    """
    with unit_of_work(session):
        return _reissue(session, old, user=user, now=now, signing=signing)


def _reissue(session: Session, old: Badge, *, user: User, now: datetime, signing: dict) -> Badge:
    if not old.person.is_enabled:
        raise BadInput("badge", f"{old.person.display_name} is signed off: sign them on first.")
    if old.revoked_at is None:
        mark_revoked(session, old, "reissued", user=user, now=now)
    new = issue_badge(
        session,
        old.person,
        valid_from=now,
        valid_until=max(old.valid_until, now + timedelta(hours=1)),
        permanent=old.is_permanent,
        issued_by=user,
        now=now,
        **signing,
    )
    new.replaces_id = old.id
    if old.port_call_id is not None:  # a visitor's badge is for the call it is issued in
        new.port_call_id = current_port_call_id(session)
    return new
