"""verify-log's look at the copy ashore: the head the shore acknowledged must be in the chain."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Connection

from gangway.db.models import AuditEntry, ShoreLink
from gangway.domain.records.audit_chain import Finding


def shore_head_findings(conn: Connection) -> Iterator[Finding]:
    """Yield `shore_head_differs` when the acknowledged entry is gone or has another hash now."""
    acked = conn.execute(
        select(ShoreLink.acked_seq, ShoreLink.acked_hash).order_by(ShoreLink.id).limit(1)
    ).first()
    if acked is None or not acked.acked_seq or not acked.acked_hash:
        return  # nothing sent ashore yet
    seq = acked.acked_seq
    found = conn.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == seq))
    if found != acked.acked_hash:
        what = "is gone" if found is None else "has another hash"
        yield Finding(
            "shore_head_differs",
            f"the chain on board differs from the copy ashore at #{seq}: "
            f"the entry the shore acknowledged {what} on board",
        )
