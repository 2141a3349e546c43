"""The CSO's fleet watch list on board (issue 17 point 6): the changes the shore sends, kept in
the ship's own watch list as entries of source "fleet", chained like the SSO's own.

The shore answers GET /api/v1/shore/watch-list?since=<version held> with the entries added or
removed after that version (all entries in force when `full`). An answer that cannot be read is
refused whole: nothing of it is taken, and the version held stays where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreLink, WatchListEntry
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.people.watch_list import FLEET, check_entry, clean_field
from gangway.services.shore_link.settings import link_row

PATH = "/api/v1/shore/watch-list"
_FIELDS = ("family_name", "given_names", "document_number", "reason")


@dataclass(frozen=True)
class Taken:
    """What a contact changed on board: entries added and lifted, the version now held."""

    added: int
    removed: int
    version: int


def held_version(session: Session) -> int:
    """Return the version of the fleet list the ship holds (0: none yet)."""
    row = link_row(session)
    return (row.fleet_watch_version or 0) if row else 0


def take_changes(session: Session, answer: dict, now: datetime) -> Taken:
    """Apply the shore's answer to the watch list on board, in one transaction; commit.

    :raises BadInput: the answer is not what protocol v1 sends (nothing is taken).
    """
    version, full, items = _read(answer)
    with unit_of_work(session):
        in_force = {
            e.fleet_entry_id: e
            for e in session.scalars(
                select(WatchListEntry).where(
                    WatchListEntry.source == FLEET, WatchListEntry.removed_at.is_(None)
                )
            )
        }
        added = removed = 0
        for item in items:
            held = in_force.pop(item["id"], None)  # listed: `full` does not lift it below
            if item["removed"]:
                removed += _lift(held, now)
            elif held is None:
                session.add(_entry(item, now))
                added += 1
        if full:  # the whole list: whatever it does not name was removed ashore
            removed += sum(_lift(entry, now) for entry in in_force.values())
        row = link_row(session) or ShoreLink(acked_seq=0)
        row.fleet_watch_version = version
        session.add(row)
    return Taken(added, removed, version)


def _lift(entry: WatchListEntry | None, now: datetime) -> int:
    if entry is None:
        return 0
    entry.removed_at = now  # removed_by_id stays empty: the CSO ashore removed it
    return 1


def _entry(item: dict, now: datetime) -> WatchListEntry:
    return WatchListEntry(
        **{name: item[name] for name in _FIELDS},
        date_of_birth=item["date_of_birth"],
        source=FLEET,
        fleet_entry_id=item["id"],
        created_at=now,
    )


def _read(answer: object) -> tuple[int, bool, list[dict]]:
    """Check the shore's answer field by field; return version, full, entries."""
    if not isinstance(answer, dict):
        raise BadInput("watch_list", "The shore's watch list is not a JSON object.")
    version, entries = answer.get("version"), answer.get("entries")
    if type(version) is not int or version < 0 or not isinstance(entries, list):
        raise BadInput("watch_list", "The shore's watch list has no version or no entries.")
    return version, answer.get("full") is True, [_item(i, raw) for i, raw in enumerate(entries)]


def _item(i: int, raw: object) -> dict:
    where = f"entries[{i}]"
    if not isinstance(raw, dict) or type(raw.get("id")) is not int or raw["id"] < 1:
        raise BadInput("watch_list", f"{where}: an object with the entry's id.")
    removed = raw.get("removed") is True
    values = {name: _text(raw.get(name), name, where) for name in _FIELDS}
    if not removed:
        check_entry(values)
    return values | {
        "id": raw["id"],
        "removed": removed,
        "date_of_birth": _date(raw.get("date_of_birth"), where),
    }


def _text(value: object, name: str, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadInput("watch_list", f"{where}.{name}: a text or null.")
    return clean_field(name, value)


def _date(value: object, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # a TypeError for anything but a text
    except (TypeError, ValueError):
        raise BadInput("watch_list", f"{where}.date_of_birth: a date, YYYY-MM-DD.") from None
