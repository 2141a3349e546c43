"""Offline packs handed to tablets: what a late scan is judged against."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime
from gangway.extensions import db


class OfflinePack(db.Model):
    """One offline pack as issued: to whom (a session's user, or a device token) and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_key: Mapped[str] = mapped_column(String(36), unique=True)  # the id the tablet sends back
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"))  # None: session
