"""Long work done by the worker processes: a download's file or an import, with its lease."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime
from gangway.extensions import db


class Job(db.Model):
    """One piece of long work: queued, running (claimed by a worker until `claimed_until`),
    done (its file under <instance>/jobs/<id>/) or failed (with the reason in words).

    `active_key` is the job's key while it is queued or running and NULL after: its unique
    index is what makes a second request for the same thing join the first (no duplicate).
    Not chained: a job is how a file is made, not a record of the watch.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200), index=True)
    active_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    status: Mapped[str] = mapped_column(String(8), index=True)  # queued running done failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(40))  # host:pid of the worker
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_name: Mapped[str | None] = mapped_column(String(120))
    mimetype: Mapped[str | None] = mapped_column(String(60))
    error: Mapped[str | None] = mapped_column(String(300))
