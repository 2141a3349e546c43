"""The CSO's fleet watch list ashore (issue 17 point 6): every ship takes it at its next contact.

Used only ashore (config SHORE); a ship keeps the entries it took in its own watch list
(watch_list_entry, source "fleet"). Chained in the shore's own audit chain like the ship's list.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime, utcnow
from gangway.extensions import db


class FleetWatchEntry(db.Model):
    """A person or document every ship of the fleet must refuse, with the CSO's reason.

    Never deleted: a removal stamps who and when, and the list version it took effect in, so a
    ship asking for the changes since the version it holds learns of it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str | None] = mapped_column(String(120))
    given_names: Mapped[str | None] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column()  # the list's version that added it
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    removed_version: Mapped[int | None] = mapped_column()  # the version that removed it

    __table_args__ = (
        Index("ix_fleet_watch_entry_version", "version"),
        Index("ix_fleet_watch_entry_removed_version", "removed_version"),
    )
