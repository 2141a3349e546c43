"""The SSO's watch list: people or documents the gangway must refuse (ISPS Code B/9.12).

Entries are never deleted: removing one stamps who removed it and when, so refusals that point to
it keep their reason. These functions commit, like record_scan. Entries taken from the CSO's
fleet list ashore (source "fleet", services/shore_link/fleet_watch.py) are read-only on board.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import User, WatchListEntry
from gangway.domain.codes.manifest import normalise_name
from gangway.domain.scan.identity import normalise_document_number
from gangway.services.errors import BadInput

FLEET = "fleet"  # WatchListEntry.source of an entry taken from the CSO's fleet list ashore
MAX_NAME = 120
MAX_DOCUMENT = 64
MAX_REASON = 255
_LABELS = {
    "family_name": "Family name",
    "given_names": "Given names",
    "document_number": "Document number",
    "reason": "Reason",
}
_LIMITS = {
    "family_name": MAX_NAME,
    "given_names": MAX_NAME,
    "document_number": MAX_DOCUMENT,
    "reason": MAX_REASON,
}


def add_entry(
    session: Session,
    *,
    family_name: str | None,
    given_names: str | None,
    document_number: str | None,
    reason: str | None,
    user: User,
    now: datetime,
) -> WatchListEntry:
    """Put a document number, or a full name, on the watch list with the reason; commit.

    :raises BadInput: no document number and no full name, no reason, or a field too long.
    """
    values = checked_entry(family_name, given_names, document_number, reason)
    entry = WatchListEntry(**values, created_at=now, created_by_id=user.id)
    _commit(session, entry)
    return entry


def remove_entry(session: Session, entry_id: int, *, user: User, now: datetime) -> WatchListEntry:
    """Take an entry off the watch list (kept, stamped as removed); commit.

    :raises BadInput: no such entry, it was already removed, or it is the fleet list's.
    """
    entry = session.get(WatchListEntry, entry_id)
    if entry is None:
        raise BadInput("entry_id", "There is no such watch list entry.")
    if entry.source == FLEET:
        raise BadInput(
            "entry_id",
            "This entry comes from the company's fleet watch list: only the CSO ashore can "
            "remove it (the ship drops it at its next contact with the shore).",
        )
    if entry.removed_at is not None:
        raise BadInput("entry_id", "This entry was already removed from the watch list.")
    entry.removed_at, entry.removed_by_id = now, user.id
    _commit(session, entry)
    return entry


def list_entries(session: Session, include_removed: bool = False) -> list[WatchListEntry]:
    """Return the watch list, newest first; only the entries in force unless asked otherwise."""
    stmt = select(WatchListEntry).order_by(
        WatchListEntry.created_at.desc(), WatchListEntry.id.desc()
    )
    if not include_removed:
        stmt = stmt.where(WatchListEntry.removed_at.is_(None))
    return list(session.scalars(stmt))


def clean_field(name: str, value: str | None) -> str | None:
    """Strip a field and bound its length; empty becomes None."""
    value = (value or "").strip()
    if len(value) > _LIMITS[name]:
        raise BadInput(name, f"{_LABELS[name]} is too long (at most {_LIMITS[name]} characters).")
    return value or None


def check_entry(values: dict[str, str | None]) -> None:
    """Require what the matcher can use: a document number, or both names; and a reason.

    The matcher ignores punctuation and accents, so a field of only those would never match.
    """
    has_document = bool(normalise_document_number(values["document_number"]))
    has_family = bool(normalise_name(values["family_name"] or ""))
    has_given = bool(normalise_name(values["given_names"] or ""))
    if values["document_number"] and not has_document:
        raise BadInput("document_number", "A document number needs letters or digits.")
    if not has_document and not (has_family and has_given):
        raise BadInput(
            "document_number",
            "Give a document number, or both family and given names "
            "(a family name alone would stop every namesake).",
        )
    if not values["reason"]:
        raise BadInput("reason", "Say why the person must be refused.")


def _commit(session: Session, entry: WatchListEntry) -> None:
    """Write the entry, leaving the session clean if the database refuses."""
    session.add(entry)
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise


def checked_entry(family_name, given_names, document_number, reason) -> dict:
    """Return a watch list entry's cleaned fields (the ship's list and the fleet's alike).

    :raises BadInput: no document number and no full name, no reason, or a field too long.
    """
    values = {
        "family_name": clean_field("family_name", family_name),
        "given_names": clean_field("given_names", given_names),
        "document_number": clean_field("document_number", document_number),
        "reason": clean_field("reason", reason),
    }
    check_entry(values)
    return values
