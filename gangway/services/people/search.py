"""The watch's typeahead over the people on record (the manual check, B/9.14.1)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gangway.db.models import Person


def search_people(session: Session, query: str, limit: int = 10) -> list[Person]:
    """Find enabled people by name or document number (the watch's typeahead)."""
    query = query.strip()
    if len(query) < 2:
        return []
    words = [f"%{word}%" for word in query.split()[:4]]  # "Maarten de Jong": every word must hit
    stmt = (
        select(Person)
        .where(Person.is_enabled)
        .where(
            *(
                or_(
                    Person.family_name.ilike(w),
                    Person.given_names.ilike(w),
                    Person.document_number.ilike(w),
                )
                for w in words
            )
        )
        .order_by(Person.family_name, Person.given_names)
        .limit(limit)
    )
    return list(session.scalars(stmt))
