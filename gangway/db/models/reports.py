"""The end-of-port-call report as stored when the call was closed: its files and their hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime
from gangway.extensions import db


class ReportSnapshot(db.Model):
    """One generation of a call's report (PDF, CSV zip, HTML) under <instance>/reports/.

    Written as "pending" in the transaction that closes the call (or after a late record reached
    the closed call: a revision), claimed as "building" by the background job, then "ready" with
    each file's SHA-256, or "failed" with the reason.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    port_call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id"), index=True)
    status: Mapped[str] = mapped_column(String(8))  # pending, building, ready, failed
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str | None] = mapped_column(String(64))  # the records' hash then
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    csv_sha256: Mapped[str | None] = mapped_column(String(64))
    html_sha256: Mapped[str | None] = mapped_column(String(64))
    mailed_to: Mapped[str | None] = mapped_column(String(400))
    mail_error: Mapped[str | None] = mapped_column(String(300))
