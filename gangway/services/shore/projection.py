"""Each ship's records as they stand ashore (issue 17 point 5): the latest content an entry
carried per record, kept in shore_record by the ingest in the transaction that adds the entries.

Only the tables a port facility's view reads are kept. An entry without content (the row changed
again before it was sent) leaves the record as it was: a later entry carries its new content.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gangway.db.models import ShoreRecord
from gangway.domain.shore.batches import WireEntry

PROJECTED = frozenset({"port_call", "movement", "refusal", "person", "badge"})
RECORD = ShoreRecord.__table__


def project_entries(session: Session, ship_id: int, entries: Iterable[WireEntry]) -> None:
    """Keep the latest content of each record the entries carry (a later seq wins)."""
    latest: dict[tuple[str, int], WireEntry] = {}
    for e in entries:
        if e.record_table in PROJECTED and e.record_id is not None and e.content is not None:
            latest[(e.record_table, e.record_id)] = e  # in seq order: the last one stands
    if not latest:
        return
    rows = [_row(ship_id, e) for e in latest.values()]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(RECORD).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["ship_id", "record_table", "record_id"],
        set_={c: stmt.excluded[c] for c in ("seq", "port_call_id", "facility_key", "content")},
        where=stmt.excluded.seq > RECORD.c.seq,
    )
    session.execute(stmt)


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
    }
