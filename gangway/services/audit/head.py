"""The chain head as people read it: "#1234 3f9a0c1d…77e2c4b0" plus the full hash.

It is shown on the SSO's page, in every report (HTML, PDF, stored copies) and in the e-mails
that carry reports, so that a copy kept off the ship anchors the chain: `gangway verify-log
--anchor` takes either form back (gangway.domain.records.audit_chain.parse_anchor).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import AuditEntry
from gangway.domain.records.audit_anchor import short_head
from gangway.services.audit.guard import MISMATCH_KIND

MISMATCH_SHOWN = timedelta(days=1)


@dataclass(frozen=True)
class ChainHead:
    """The last entry of the chain when a page or a report was made."""

    seq: int
    entry_hash: str
    recorded_at: datetime

    @property
    def short(self) -> str:
        """Return "#1234 3f9a0c1d…77e2c4b0": what a person reads back."""
        return short_head(self.seq, self.entry_hash)

    @property
    def anchor(self) -> str:
        """Return the full form "#1234 sha256:<64 hex>"."""
        return f"#{self.seq} sha256:{self.entry_hash}"


def chain_head(session: Session) -> ChainHead | None:
    """Return the chain's last entry (None: the chain is empty)."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash, AuditEntry.recorded_at)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return ChainHead(*row) if row else None


def latest_mismatch(session: Session) -> tuple[datetime, str] | None:
    """Return when a scan was last refused a verdict because records differ, and what."""
    row = session.execute(
        select(AuditEntry.recorded_at, AuditEntry.payload)
        .where(AuditEntry.kind == MISMATCH_KIND)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    try:
        what = json.loads(row.payload)["what"]
    except (ValueError, KeyError, TypeError):
        what = "unreadable"
    return row.recorded_at, what


def chain_state(session: Session, now: datetime) -> dict:
    """Return what the SSO's page shows of the chain: its head and, for a day, the last scan
    that was not decided because the records differ from it."""
    mismatch = latest_mismatch(session)
    recent = mismatch if mismatch and now - mismatch[0] < MISMATCH_SHOWN else None
    return {"head": chain_head(session), "mismatch": recent}
