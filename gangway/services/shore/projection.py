"""Each ship's records as they stand ashore (issue 17 point 5): the latest content an entry
carried per record, kept in shore_record by the ingest in the transaction that adds the entries.

Only the tables a port facility's view reads are kept. An entry without content (the row changed
again before it was sent) leaves the record as it was: a later entry carries its new content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gangway.db.bulk import insert_from_json, json_rows
from gangway.db.models import ShoreEntry, ShoreRecord, ShoreShip
from gangway.domain.shore.batches import WireEntry
from gangway.domain.shore.name_keys import document_key, name_key
from gangway.services.after_commit import unit_of_work

PROJECTED = frozenset({"port_call", "movement", "refusal", "person", "badge"}) | frozenset(
    # a call's access log and report ashore (issue 17 point 4): where, follow-ups, levels, ...
    {"access_point", "refusal_follow_up", "level_change", "declaration", "report_sign_off",
     "sts_activity"}
)  # fmt: skip
RECORD = ShoreRecord.__table__
KEY = ("ship_id", "record_table", "record_id")
SEARCHED = frozenset({"person", "movement", "refusal"})  # the CSO's fleet search finds these
SEARCH_COLUMNS = ("name_words", "document_key", "seen_at", "person_ref", "person_family",
                  "person_given", "person_kind", "direction", "reason_code")  # fmt: skip
CHUNK = 2000  # entries read and projected in one transaction by `rebuild_records`


def project_entries(session: Session, ship_id: int, entries: Iterable[WireEntry]) -> None:
    """Keep the latest content of each record the entries carry (a later seq wins).

    The entries are WireEntry, or rows with seq, record_table, record_id and content.
    """
    latest: dict[tuple[str, int], WireEntry] = {}
    for e in entries:
        if e.record_table in PROJECTED and e.record_id is not None and e.content is not None:
            latest[(e.record_table, e.record_id)] = e  # in seq order: the last one stands
    if not latest:
        return
    rows = [_row(ship_id, e) for e in latest.values()]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_UPSERT_FROM_JSON, json_rows(rows))  # one statement: db/bulk.py
    else:  # SQLite, `shore init --allow-sqlite`: row by row
        session.execute(_upsert(sqlite.insert(RECORD)), rows)


def _upsert(stmt):
    """Return the insert that keeps, of each record, the content of its latest entry."""
    return stmt.on_conflict_do_update(
        index_elements=list(KEY),
        set_={c.name: stmt.excluded[c.name] for c in RECORD.columns if not c.primary_key},
        # >=: the same entry again (`shore project` after a column was added) fills the new keys.
        where=stmt.excluded.seq >= RECORD.c.seq,
    )


_UPSERT_FROM_JSON = _upsert(insert_from_json(RECORD, postgresql.insert))


def rebuild_records(session: Session, ship: ShoreShip, chunk: int = CHUNK) -> int:
    """Project the entries already held of a ship (ingested before shore_record existed), in
    order, a transaction per chunk; return how many carried a record. Safe beside the ingest:
    a later entry's content always wins."""
    after, projected = 0, 0
    while True:
        rows = session.execute(
            select(
                ShoreEntry.seq, ShoreEntry.record_table, ShoreEntry.record_id, ShoreEntry.content
            )
            .where(ShoreEntry.ship_id == ship.id, ShoreEntry.seq > after)
            .where(ShoreEntry.record_table.in_(PROJECTED))
            .order_by(ShoreEntry.seq)
            .limit(chunk)
        ).all()
        if not rows:
            session.rollback()
            return projected
        with unit_of_work(session):
            project_entries(session, ship.id, rows)  # rows name what project_entries reads
        after, projected = rows[-1].seq, projected + sum(r.content is not None for r in rows)


def facility_key(name: object) -> str | None:
    """Return a facility name as compared: trimmed, any case (None when there is none)."""
    key = name.strip().casefold()[:120] if isinstance(name, str) else ""
    return key or None


def _row(ship_id: int, e: WireEntry) -> dict:
    content = e.content or {}
    is_call = e.record_table == "port_call"
    call_id = e.record_id if is_call else content.get("port_call_id")
    return {
        "ship_id": ship_id,
        "record_table": e.record_table,
        "record_id": e.record_id,
        "seq": e.seq,
        "port_call_id": call_id if type(call_id) is int else None,
        "facility_key": facility_key(content.get("facility_name")) if is_call else None,
        "content": content,
        **_search_keys(e.record_table, e.record_id, content),
    }


def _search_keys(table: str, record_id: int, content: dict) -> dict:
    """Return the keys the fleet search finds a record by, and the fields it shows."""
    if table not in SEARCHED:
        return dict.fromkeys(SEARCH_COLUMNS)
    prefix = "" if table == "person" else "person_"
    person = record_id if table == "person" else content.get("person_id")
    if isinstance(person, str) and person.isascii() and person.isdigit():
        person = int(person)
    return {
        "name_words": name_key(
            content.get(f"{prefix}family_name"), content.get(f"{prefix}given_names")
        ),
        "document_key": document_key(content.get(f"{prefix}document_number")),
        "seen_at": _text(content, "occurred_at", "created_at"),
        "person_ref": person if type(person) is int and 0 <= person < 2**63 else None,
        "person_family": _text(content, "person_family_name", "family_name"),
        "person_given": _text(content, "person_given_names", "given_names"),
        "person_kind": _text(content, "person_kind", "kind"),
        "direction": _text(content, "direction"),
        "reason_code": _text(content, "reason_code"),
    }


def _text(content: dict, *names: str) -> str | None:
    """Return the first of the fields that is there, as text (as PostgreSQL's ->> gives it)."""
    for name in names:
        value = content.get(name)
        if value is not None:
            return value if isinstance(value, str) else json.dumps(value)
    return None
