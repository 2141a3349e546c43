"""Who a person was when a movement or refusal was recorded, kept on the record itself.

A record shows what it showed when it was written (ISPS A/10.3): the name, kind, company and
document of its person are copied onto it, so a later rename (a crew list import) changes who
the person is now, never who crossed then. The scan path copies them itself (scan_writes.py);
the hook here fills them for records added through the ORM.
"""

from __future__ import annotations

from sqlalchemy import bindparam, case, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.db.listeners import listen_once
from gangway.db.models import Movement, Person, PersonRename, Refusal
from gangway.db.prepared import Prepared

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


class RecordedNames(dict):
    """'FAMILY, Given' by (family, given), each made once (names recur: a crew member crosses
    hundreds of times in a report)."""

    def __missing__(self, key: tuple[str, str | None]) -> str:
        family, given = key
        value = self[key] = f"{family.upper()}, {given or ''}".rstrip(", ")
        return value


def note_rename(
    session: Session, person: Person, family: str, given: str, *, user, now, source: str
) -> None:
    """Record the old name of a person about to be renamed (nothing if the name stays)."""
    if (family, given) == (person.family_name, person.given_names):
        return
    session.add(
        PersonRename(
            person_id=person.id,
            family_name_before=person.family_name,
            given_names_before=person.given_names,
            family_name=family,
            given_names=given,
            renamed_at=now,
            renamed_by_id=user.id if user else None,
            source=source,
        )
    )


_M = Movement.__table__.c
_LAST_SEEN = Prepared(
    select(_M.person_family_name, _M.person_given_names, _M.occurred_at)
    .where(_M.person_id == bindparam("person_id"))
    .order_by(_M.occurred_at.desc(), _M.id.desc())
    .limit(1)
)


def last_seen_as(conn: Connection, person) -> str | None:
    """Return 'HANSEN, Erik on 2026-12-06 14:05 UTC' when the person's last crossing recorded
    another name than theirs now (a rename since), else None: the watch compares the card."""
    if person is None:
        return None
    row = _LAST_SEEN.first(conn, {"person_id": person.id})
    if row is None or row[0] is None:
        return None
    family, given, at = row
    if (family, given) == (person.family_name, person.given_names):
        return None
    name = f"{family.upper()}, {given or ''}".rstrip(", ")
    return f"{name} on {at:%Y-%m-%d %H:%M} UTC"


def register_listeners() -> None:
    """Copy the person onto every new movement and refusal (create_app calls it)."""
    listen_once(Session, "before_flush", _copy_person_onto_new_records)


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
