"""Who a person was when a movement or refusal was recorded, kept on the record itself.

A record shows what it showed when it was written (ISPS A/10.3): the name, kind, company and
document of its person are copied onto it, so a later rename (a crew list import) changes who
the person is now, never who crossed then. The scan path copies them itself (scan_writes.py);
the hook here fills them for records added through the ORM.
"""

from __future__ import annotations

from sqlalchemy import case, event
from sqlalchemy.orm import Session

from ..models import Movement, Person, Refusal

SNAPSHOT = {  # record column -> person attribute
    "person_family_name": "family_name",
    "person_given_names": "given_names",
    "person_kind": "kind",
    "person_company": "company",
    "person_document_number": "document_number",
}
NOBODY = dict.fromkeys(SNAPSHOT)
ESCORT = {"escort_family_name": "family_name", "escort_given_names": "given_names"}


def escort_snapshot(escort) -> dict:
    """Return a movement's copy of its escort's name (None: unescorted)."""
    return {column: getattr(escort, attr) if escort else None for column, attr in ESCORT.items()}


def person_snapshot(person) -> dict:
    """Return the record's copy of the person's name, kind, company and document (None: nobody)."""
    if person is None:
        return dict(NOBODY)
    return {column: _text(getattr(person, attr)) for column, attr in SNAPSHOT.items()}


def _text(value):
    return getattr(value, "value", value)  # a PersonKind is stored as its text


def recorded(table, person, attr: str):
    """Return a person column as the record stored it (an ORM class's column expression); the
    person's as now if the record has no copy (a row written beside the app: verify-log names
    it)."""
    stored = getattr(table, f"person_{attr}")
    return case((table.person_family_name.is_(None), getattr(person, attr)), else_=stored)


@event.listens_for(Session, "before_flush")
def _copy_person_onto_new_records(session, flush_context, instances):
    """Fill the person's copy on new movements and refusals that were added without one."""
    for obj in session.new:
        if not isinstance(obj, Movement | Refusal):
            continue
        if obj.person_family_name is None and obj.person_id is not None:
            person = obj.person or session.get(Person, obj.person_id)
            for column, value in person_snapshot(person).items():
                setattr(obj, column, value)
        if isinstance(obj, Movement) and obj.escort_id and obj.escort_family_name is None:
            escort = obj.escort or session.get(Person, obj.escort_id)
            for column, value in escort_snapshot(escort).items():
                setattr(obj, column, value)
