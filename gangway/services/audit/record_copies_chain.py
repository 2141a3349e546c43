"""Chain the person's copy that an upgrade added to movements and refusals written before it.

The migration that added the copy (f15a0b1c2d3e) filled it from the person as they were then;
the rows' entries cover only their older columns, so an edit of that copy would go unseen.
Once, at the `gangway init-db` that applies that migration, each such row that still matches its
latest entry gets a "<table>.copy_added" entry over all its columns; a row that does not match
gets none and stays a finding of verify-log (an entry now must not vouch for an edit).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from gangway.db.models import Movement, Refusal
from gangway.domain.records.audit_chain import digest
from gangway.domain.records.audit_records import _merge
from gangway.services.audit.audit import lock_chain, write
from gangway.services.audit.content import chained_fields, content_digest
from gangway.services.audit.verify import _entries, _field_sets, _rows

REVISION = "f15a0b1c2d3e"  # the migration that added the copy
TABLES = (Movement.__tablename__, Refusal.__tablename__)
BATCH = 5000
COPY = "person_family_name"  # a column of the copy: an entry covering it needs nothing more


def chain_added_copies(session: Session) -> dict[str, int]:
    """Append a "<table>.copy_added" entry for each untampered row whose entry lacks the copy;
    return the counts per table. The caller commits."""
    conn = session.connection()
    lock_chain(conn)
    sets, counts = _field_sets(conn), {}
    for name in TABLES:
        fields, items, n = chained_fields(name), [], 0
        # Both streams read in keyset batches; the entries written meanwhile are for rows
        # already passed, so the reads never see them.
        for record_id, history, row in _merge(_entries(conn, name, sets), _rows(conn, name)):
            if row is not None and _untouched(history, row):
                items.append(
                    (f"{name}.copy_added", name, record_id, content_digest(row, fields), None)
                )
            if len(items) == BATCH:
                write(conn, items)
                n, items = n + len(items), []
        write(conn, items)
        if n + len(items):
            counts[name] = n + len(items)
    return counts


def _untouched(history, row) -> bool:
    """Tell whether a row lacks the copy in its latest entry and still matches that entry."""
    latest = history[-1] if history else None
    if latest is None or COPY in latest.fields or any(f not in row for f in latest.fields):
        return False
    return digest({f: row[f] for f in latest.fields}) == latest.digest  # else: a finding
