"""The audit chain's state for the admin: its head, and the last verify-log result and when.

Each verification run from the admin's page (or `gangway verify-log --record`) appends its
result to the chain itself, as a "log.verified" event: no table or file to trust beside the
records, and a result edited afterwards breaks the chain that the next run checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gangway.services.audit.audit import ENTRY, append
from gangway.services.audit.verify import Report, verify_log

KIND = "log.verified"
SHOWN = 10  # findings kept in the result's entry; the counts cover every one


@dataclass(frozen=True)
class Verification:
    """One recorded verify-log result, read back from its chain entry."""

    seq: int  # the result's own entry
    recorded_at: datetime
    ok: bool
    entries: int
    head_seq: int | None
    head_hash: str | None
    records: int
    by: str
    problems: dict[str, int] = field(default_factory=dict)
    first: list[str] = field(default_factory=list)


def chain_head(session: Session) -> tuple[int, str] | None:
    """Return the last entry's (seq, hash); seq is also the entry count (1, 2, 3, ... no gaps)."""
    top = select(func.max(ENTRY.c.seq)).scalar_subquery()
    row = session.execute(select(ENTRY.c.seq, ENTRY.c.entry_hash).where(ENTRY.c.seq == top)).first()
    return (row.seq, row.entry_hash) if row else None


def last_verification(session: Session) -> Verification | None:
    """Return the newest recorded result, or None if the chain was never verified from here."""
    # Events have no record table: the (record_table, record_id, seq) index reads them newest
    # first without walking every movement's entry.
    stmt = (
        select(ENTRY.c.seq, ENTRY.c.recorded_at, ENTRY.c.payload)
        .where(ENTRY.c.record_table.is_(None), ENTRY.c.record_id.is_(None), ENTRY.c.kind == KIND)
        .order_by(ENTRY.c.seq.desc())
        .limit(1)
    )
    row = session.execute(stmt).first()
    if row is None:
        return None
    try:
        data = json.loads(row.payload)
        return Verification(row.seq, row.recorded_at, **data)
    except (TypeError, ValueError):  # an altered payload: say so rather than fail the page
        first = ["This result's entry cannot be read: run verify-log."]
        return Verification(row.seq, row.recorded_at, False, 0, None, None, 0, "?", first=first)


def verify_and_record(session: Session, *, by: str) -> Verification:
    """Verify the whole chain and every record (a long read), then chain the result; commit."""
    report = verify_log(session)
    session.rollback()  # end the long read before writing
    record_result(session, report, by=by)
    return last_verification(session)


def record_result(session: Session, report: Report, *, by: str) -> None:
    """Append a verify-log result to the chain and commit."""
    head_seq, head_hash = report.head or (None, None)
    data = {
        "ok": report.ok,
        "entries": report.entries,
        "head_seq": head_seq,
        "head_hash": head_hash,
        "records": report.records,
        "by": by,
        "problems": dict(sorted(report.counts.items())),
        "first": [f.message for f in report.findings[:SHOWN]],
    }
    append(session, KIND, data)
    session.commit()
