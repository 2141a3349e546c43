"""The audit chain: one hash-linked entry per record-keeping event (ISPS A/10.3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime
from gangway.extensions import db


class AuditFieldSet(db.Model):
    """The columns a row digest covers, so a column added later leaves older digests valid."""

    id: Mapped[int] = mapped_column(primary_key=True)
    record_table: Mapped[str] = mapped_column(String(64))
    names: Mapped[str] = mapped_column(Text)  # column names, sorted, comma-separated


class AuditEntry(db.Model):
    """A link of the chain: what happened, to which row, the content digest and both hashes.

    Written only by gangway.services.audit.audit, in the transaction that writes the record.
    """

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 1, 2, 3, ...
    kind: Mapped[str] = mapped_column(String(40))  # movement.recorded, badge.revoked, ...
    record_table: Mapped[str | None] = mapped_column(String(64))  # None: not a row (login.failed)
    record_id: Mapped[int | None]
    field_set_id: Mapped[int | None] = mapped_column(ForeignKey("audit_field_set.id"))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the row content or the payload
    payload: Mapped[str | None] = mapped_column(Text)  # canonical JSON of an event that is no row
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_audit_entry_record", "record_table", "record_id", "seq"),)
