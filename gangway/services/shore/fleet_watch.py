"""The CSO's fleet watch list ashore (issue 17 point 6): add and remove entries; every change
bumps the list's version, and each ship asks for the changes since the version it holds.

Checked like the ship's own list (services/people/watch_list.py), with a birth date besides.
Entries are never deleted: a removal is stamped, chained, and sent to the ships as a removal.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import FleetWatchEntry, User
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import lock_chain
from gangway.services.errors import BadInput
from gangway.services.people.watch_list import checked_entry
from gangway.services.shore.ships import fleet

OLDEST_BIRTH = date(1900, 1, 1)


def add_fleet_entry(
    session: Session,
    *,
    family_name: str | None,
    given_names: str | None,
    date_of_birth: str | None,
    document_number: str | None,
    reason: str | None,
    user: User,
    now: datetime,
) -> FleetWatchEntry:
    """Put a person or document on the fleet watch list for every ship; commit.

    :raises BadInput: no document number and no full name, no reason, a field too long, or a
        birth date that is not a past date.
    """
    values = checked_entry(family_name, given_names, document_number, reason)
    born = parse_birth_date(date_of_birth, now)
    with unit_of_work(session):
        entry = FleetWatchEntry(
            **values,
            date_of_birth=born,
            created_at=now,
            created_by_id=user.id,
            version=_next_version(session),
        )
        session.add(entry)
    return entry


def remove_fleet_entry(
    session: Session, entry_id: int, *, user: User, now: datetime
) -> FleetWatchEntry:
    """Take an entry off the fleet list (kept, stamped); the ships lift it at their next contact.

    :raises BadInput: no such entry, or it was already removed.
    """
    with unit_of_work(session):
        version = _next_version(session)  # the lock first: two removals cannot both pass
        entry = session.get(FleetWatchEntry, entry_id, populate_existing=True)
        if entry is None:
            raise BadInput("entry_id", "There is no such fleet watch list entry.")
        if entry.removed_at is not None:
            raise BadInput("entry_id", "This entry was already removed from the fleet watch list.")
        entry.removed_at, entry.removed_by_id, entry.removed_version = now, user.id, version
    return entry


def list_fleet_entries(session: Session) -> list[FleetWatchEntry]:
    """Return the entries in force, newest first."""
    return list(
        session.scalars(
            select(FleetWatchEntry)
            .where(FleetWatchEntry.removed_at.is_(None))
            .order_by(FleetWatchEntry.version.desc())
        )
    )


def current_version(session: Session) -> int:
    """Return the list's version: the number of changes made to it (0: never changed)."""
    added = session.scalar(select(func.max(FleetWatchEntry.version))) or 0
    removed = session.scalar(select(func.max(FleetWatchEntry.removed_version))) or 0
    return max(added, removed)


def changes_since(session: Session, since: int) -> dict:
    """Return what a ship holding version `since` must take: the entries added and removed
    after it, or the whole list (`full`) for a ship holding none, or a version this shore
    never had (its database restored, another shore)."""
    version = current_version(session)
    full = since <= 0 or since > version
    E = FleetWatchEntry
    if full:
        where = E.removed_at.is_(None)
    else:  # added since and still in force; or held by the ship and removed since
        where = or_(
            and_(E.version > since, E.removed_version.is_(None)),
            and_(E.version <= since, E.removed_version > since),
        )
    entries = session.scalars(select(E).where(where).order_by(E.id))
    return {"version": version, "full": full, "entries": [wire_entry(e) for e in entries]}


def ships_holding(session: Session) -> list[dict]:
    """Return each ship with the list version it last reported holding (None: not yet)."""
    version = current_version(session)
    out = []
    for ship in fleet(session):
        held = (ship.status or {}).get("fleet_watch_version")
        behind = version - held if isinstance(held, int) else None
        out.append({"imo": ship.imo, "name": ship.name, "held": held, "behind": behind,
                    "last_contact_at": ship.last_contact_at})  # fmt: skip
    return out


def wire_entry(entry: FleetWatchEntry) -> dict:
    """Return an entry as the ships and the API read it."""
    return {
        "id": entry.id,
        "family_name": entry.family_name,
        "given_names": entry.given_names,
        "date_of_birth": entry.date_of_birth.isoformat() if entry.date_of_birth else None,
        "document_number": entry.document_number,
        "reason": entry.reason,
        "added_at": entry.created_at.isoformat().replace("+00:00", "Z"),
        "removed": entry.removed_at is not None,
    }


def parse_birth_date(text: str | None, now: datetime) -> date | None:
    """Return the birth date typed (YYYY-MM-DD), None when left empty.

    :raises BadInput: not a date, in the future, or before 1900.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        born = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        born = None
    if born is None:
        raise BadInput("date_of_birth", "Write the date of birth as YYYY-MM-DD, e.g. 1980-04-30.")
    if not OLDEST_BIRTH <= born <= now.date():
        raise BadInput("date_of_birth", "The date of birth must be a past date, after 1900.")
    return born


def _next_version(session: Session) -> int:
    """Hold the chain's lock for this transaction, then return the version of this change.

    Serialised so that versions commit in order: a ship asking "since 7" never misses a change
    numbered 7 that was still uncommitted when it asked.
    """
    lock_chain(session.connection())
    return current_version(session) + 1
