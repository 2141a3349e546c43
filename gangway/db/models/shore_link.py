"""The ship's link to the fleet server ashore: where to send, and what the shore holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime
from gangway.extensions import db


class ShoreLink(db.Model):
    """One row: the shore's URL and this ship's link token, and the head the shore acknowledged.

    Not chained: the acknowledged head moves with every batch, and an entry for each move would
    itself wait to be sent. The chain's own entries are what the shore verifies.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(300))
    token: Mapped[str | None] = mapped_column(String(200))  # sent as a Bearer token
    allow_http: Mapped[bool] = mapped_column(default=False)  # `set --insecure`: tests, dev
    acked_seq: Mapped[int] = mapped_column(default=0)  # 0: the shore holds nothing yet
    acked_hash: Mapped[str | None] = mapped_column(String(64))
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    diverged_seq: Mapped[int | None] = mapped_column()  # the shore refused: sending stops
    # The version of the CSO's fleet watch list the ship holds (0: none taken yet).
    fleet_watch_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The last `photo.sent_ashore` entry whose photo went up (or was refused): none sent twice.
    photos_seq: Mapped[int] = mapped_column(default=0, server_default="0")
