"""Issue badges to a group at once (a contractor gang, a crew change): all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from ..models import Badge, User
from .errors import BadInput
from .people import NewPerson, register_person

MAX_GROUP = 200


def parse_members(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """Read one member a line: `FAMILY, Given ; document type ; document number`."""
    members = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")] + ["", ""]
        family, _, given = parts[0].partition(",")
        if not family.strip():
            raise BadInput("members", f"Line {number}: write FAMILY, Given ; type ; number.")
        members.append((family.strip(), given.strip(), parts[1] or None, parts[2] or None))
    if not members:
        raise BadInput("members", "List at least one person, one a line.")
    if len(members) > MAX_GROUP:
        raise BadInput("members", f"At most {MAX_GROUP} people at once.")
    return members


def register_group(
    session: Session,
    common: NewPerson,
    members_text: str,
    *,
    valid_from: datetime,
    valid_until: datetime,
    user: User,
    now: datetime,
    signing: dict,
) -> list[Badge]:
    """Register every member with the shared details and issue their badges; commit once."""
    badges = []
    try:
        for family, given, doc_type, doc_number in parse_members(members_text):
            person = replace(
                common,
                family_name=family,
                given_names=given,
                document_type=doc_type or common.document_type,
                document_number=doc_number,
            )
            try:
                badges.append(
                    register_person(
                        session,
                        person,
                        valid_from=valid_from,
                        valid_until=valid_until,
                        user=user,
                        now=now,
                        signing=signing,
                    )
                )
            except BadInput as exc:
                raise BadInput(exc.field, f"{family}, {given}: {exc.message}") from None
        session.commit()
    except Exception:
        session.rollback()
        raise
    return badges
