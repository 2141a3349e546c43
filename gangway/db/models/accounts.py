"""Who logs in: users and their API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gangway.db.types import UTCDateTime, utcnow
from gangway.domain.accounts.permissions import ROLES  # noqa: F401  (the models offer it)
from gangway.extensions import db


class User(UserMixin, db.Model):
    """Someone who logs in: gangway watch, SSO, PFSO, master or admin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A PFSO sees only the port calls at their own facility (matched by name and UN/LOCODE).
    facility_name: Mapped[str | None] = mapped_column(String(120))
    facility_unlocode: Mapped[str | None] = mapped_column(String(5))
    # Set when the admin chose the password: the user picks their own at the next login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Marked by the admin: a tablet's token, which may send scans made offline (late scans).
    is_device: Mapped[bool] = mapped_column(default=False, server_default=false())
    user: Mapped[User] = relationship()


class LoginSession(db.Model):
    """A browser login on the server side: logging out ends it, so a saved cookie is dead.

    The cookie holds a random id; only its SHA-256 is stored. Not chained: it decides no
    scan and shows in no report (the login itself is who the chained records name).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
