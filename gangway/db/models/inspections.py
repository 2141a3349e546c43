"""A port state control officer's read-only inspection access, issued by the SSO or master."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gangway.db.models.accounts import User
from gangway.db.types import UTCDateTime
from gangway.extensions import db


class InspectionAccess(db.Model):
    """A short-lived access to the inspector's pages: a code and a one-time link.

    Only SHA-256 hashes of the code and the link are stored (both are shown once, on the
    issuer's screen). Chained: inspection.issued, inspection.opened (the link used),
    inspection.revoked; each page the officer opens is an inspection.viewed event.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer: Mapped[str | None] = mapped_column(String(120))  # who it is for, as the SSO wrote
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    link_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
