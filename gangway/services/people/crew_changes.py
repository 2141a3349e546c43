"""Crew changes: sign a crew member off (badges revoked) or on (a new permanent badge).

ISPS Code B/9.11: the ship's personnel carry permanent IDs, and an ID that no longer counts is
refused. A crew member signed off keeps their records; `Person.is_enabled` is False from then on
(chained: "person.enabled_changed"), and a "crew.signed_off" / "crew.signed_on" entry names who
did it and when. Each change is one transaction: all of it is written, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Badge, Person, User
from gangway.domain.lists.crew import SIGN_OFF_REASON, document_problem, read_crew_member
from gangway.domain.lists.crew_lists import CrewRow, Problem, normalise_document_number
from gangway.domain.scan.identity import find_watch_list_match, list_name
from gangway.domain.scan.types import PersonKind
from gangway.services.audit import audit
from gangway.services.errors import BadInput
from gangway.services.people.badges import issue_crew_badge
from gangway.services.people.document_photos import add_document_photo
from gangway.services.people.people import mark_revoked
from gangway.services.scan.credentials import active_watch_list

_PERSON_FIELD = {"rank_or_rating": "rank", "document_expiry": "document_expires_on"}


class CrewMemberRefused(BadInput):
    """The typed crew member has problems (one per field); nothing was written."""

    def __init__(self, problems: tuple[Problem, ...]):
        super().__init__(problems[0].column or "family_name", problems[0].message)
        self.problems = problems


@dataclass(frozen=True)
class SignedOff:
    """What a sign-off did: who, the badges it revoked, and whether they are still aboard."""

    person: Person
    revoked: tuple[Badge, ...]
    was_aboard: bool


def sign_off(session: Session, person_id: int, *, user: User, now: datetime) -> SignedOff:
    """Sign a crew member off: revoke every live badge ("Signed off"), mark them, commit.

    A crew member still recorded aboard may be signed off: they walk off afterwards, and that
    departure is recorded (with a warning) like any departure on a revoked badge.

    :raises BadInput: not a crew member, or already signed off; nothing is written.
    """
    person = _crew(session, person_id)
    if not person.is_enabled:
        raise BadInput("person", f"{person.display_name} is already signed off.")
    live = session.scalars(
        select(Badge).where(Badge.person_id == person.id, Badge.revoked_at.is_(None))
    ).all()
    for badge in live:
        mark_revoked(session, badge, SIGN_OFF_REASON, user=user, now=now)
    person.is_enabled = False
    _chain(session, "crew.signed_off", person, user, now, badges_revoked=[b.id for b in live])
    session.commit()
    return SignedOff(person, tuple(live), person.aboard_movement_id is not None)


def sign_on(session: Session, person_id: int, *, user: User, now: datetime, signing: dict) -> Badge:
    """Sign a signed-off crew member on again with a new permanent badge; commit.

    :raises BadInput: not a crew member, already signed on, on the watch list, or their
        document has expired; nothing is written.
    """
    person = _crew(session, person_id)
    if person.is_enabled:
        raise BadInput("person", f"{person.display_name} is signed on already.")
    if document_problem(person.document_expires_on, now.date()):
        expired_on = person.document_expires_on.isoformat()
        message = f"The document on record expired on {expired_on}: import the crew list with "
        raise BadInput("person", message + "the new document, then sign them on.")
    _check_watch_list(session, person, field="person")
    person.is_enabled = True
    return _issue(session, person, "crew.signed_on", user=user, now=now, signing=signing)


def sign_on_new(
    session: Session,
    values: dict[str, str],
    *,
    user: User,
    now: datetime,
    signing: dict,
    document_photo: bytes | None = None,
) -> Badge:
    """Add a crew member typed in by the SSO, with a new permanent badge; commit.

    `document_photo`: a JPEG of their document the SSO keeps on the record (document_photos.py).

    :raises CrewMemberRefused: a field breaks the crew list's rules (every such field named).
    :raises BadInput: already on the crew list, or on the watch list; nothing is written.
    """
    row, problems = read_crew_member(values)
    if row is not None and (expired := document_problem(row.document_expiry, now.date())):
        problems = (expired,)
    if problems:
        raise CrewMemberRefused(problems)
    _check_not_listed(session, row)
    _check_watch_list(session, row, field="family_name")
    person = Person(kind=PersonKind.CREW, **_person_fields(row))
    session.add(person)
    if document_photo is not None:
        add_document_photo(session, person, document_photo, user=user, now=now)
    return _issue(session, person, "crew.signed_on", user=user, now=now, signing=signing)


def _crew(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.kind != PersonKind.CREW:
        raise BadInput("person", "No such crew member: reload the crew list.")
    return person


def _issue(
    session: Session, person: Person, kind: str, *, user: User, now: datetime, signing: dict
) -> Badge:
    """Issue the permanent badge, chain who signed the person on, and commit."""
    badge = issue_crew_badge(session, person, issued_by=user, now=now, **signing)
    _chain(session, kind, person, user, now, badge_issued=badge.id)
    session.commit()
    return badge


def _chain(
    session: Session, kind: str, person: Person, user: User, now: datetime, **details
) -> None:
    """Append who changed the crew and when; the person and badge rows chain themselves."""
    session.flush()  # a new person needs its id in the entry
    data = {"person_id": person.id, "user_id": user.id, "username": user.username}
    audit.append(session, kind, {**data, "at": now.isoformat(), **details})


def _check_not_listed(session: Session, row: CrewRow) -> None:
    """Refuse a second person for one document: the crew list matches people by it."""
    number = normalise_document_number(row.document_number)
    crew = session.scalars(select(Person).where(Person.kind == PersonKind.CREW))
    same = next((p for p in crew if normalise_document_number(p.document_number) == number), None)
    if same is None:
        return
    standing = "signed on already" if same.is_enabled else "signed off: sign them on from the list"
    raise BadInput("document_number", f"{same.display_name} has this document and is {standing}.")


def _check_watch_list(session: Session, who: Person | CrewRow, *, field: str) -> None:
    """Refuse a badge to a person on the watch list (B/9.12), as a registration does."""
    names = (who.family_name, who.given_names, who.document_number)
    match = find_watch_list_match(*names, active_watch_list(session))
    if match:
        raise BadInput(field, f"On {list_name(match)}: {match.reason}. No badge issued.")


def _person_fields(row: CrewRow) -> dict:
    names = (f.name for f in fields(CrewRow) if f.name != "line")
    return {_PERSON_FIELD.get(name, name): getattr(row, name) for name in names}
