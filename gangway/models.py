"""Typed models: data only, no rules (those live in gangway.domain)."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .dbtypes import UTCDateTime, utcnow
from .domain.types import Direction, Method, PersonKind
from .extensions import db

ROLES = ("watch", "sso", "pfso", "master", "admin")


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
    user: Mapped[User] = relationship()


class Ship(db.Model):
    """The ship this installation serves, and its security level in force."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    imo_number: Mapped[str | None] = mapped_column(String(16))
    flag_state: Mapped[str | None] = mapped_column(String(64))
    security_level: Mapped[int] = mapped_column(default=1)


class PortCall(db.Model):
    """A stay at a port facility; records made during it belong to it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    port_name: Mapped[str] = mapped_column(String(120))
    unlocode: Mapped[str | None] = mapped_column(String(5))
    facility_name: Mapped[str | None] = mapped_column(String(120))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departs_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # scheduled (ETD)
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # actual; None while in port


class AccessPoint(db.Model):
    """A means of access to the ship (gangway, accommodation ladder, ...): B/9.9."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32), default="gangway")
    is_enabled: Mapped[bool] = mapped_column(default=True)


class Person(db.Model):
    """Anyone who may cross the gangway: crew, passenger, visitor, contractor, authority.

    Identity fields follow IMO FAL Forms 5 (crew list) and 6 (passenger list).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PersonKind] = mapped_column(String(16))
    family_name: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(120), default="")
    company: Mapped[str | None] = mapped_column(String(120))
    rank: Mapped[str | None] = mapped_column(String(64))  # crew: rank or rating
    nationality: Mapped[str | None] = mapped_column(String(3))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    place_of_birth: Mapped[str | None] = mapped_column(String(120))
    gender: Mapped[str | None] = mapped_column(String(16))
    document_type: Mapped[str | None] = mapped_column(String(32))
    document_number: Mapped[str | None] = mapped_column(String(64), index=True)
    document_issuing_state: Mapped[str | None] = mapped_column(String(3))
    document_expires_on: Mapped[date | None] = mapped_column(Date)
    # Passengers: the manifest of one port call (FAL Form 6 plus booking data).
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"), index=True)
    booking_reference: Mapped[str | None] = mapped_column(String(16), index=True)
    ticket_number: Mapped[str | None] = mapped_column(String(32), index=True)
    cabin: Mapped[str | None] = mapped_column(String(16))
    # Visitors, contractors and authorities: why they come and who receives them.
    purpose: Mapped[str | None] = mapped_column(String(200))
    host: Mapped[str | None] = mapped_column(String(120))
    work_order: Mapped[str | None] = mapped_column(String(64))
    work_order_valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    work_order_valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    authority_role: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    photo_path: Mapped[str | None] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Current presence, kept in the same transaction as the movement that changes it so that the
    # scan path and the on-board list never scan the whole movement history.
    aboard_movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("movement.id", use_alter=True), index=True
    )
    aboard_movement: Mapped[Movement | None] = relationship(foreign_keys=[aboard_movement_id])

    @property
    def display_name(self) -> str:
        """Return 'FAMILY, Given' as read out at the gangway."""
        return f"{self.family_name.upper()}, {self.given_names}".rstrip(", ")


class Badge(db.Model):
    """A signed credential held by a person; the code is what the QR contains."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    code: Mapped[str] = mapped_column(String(160), unique=True)
    key_id: Mapped[int] = mapped_column(default=1)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    is_permanent: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(255))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("badge.id"))  # reissue of
    person: Mapped[Person] = relationship()


class Movement(db.Model):
    """A recorded boarding or departure (ISPS A/10.1: records of security activities)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badge.id"))
    direction: Mapped[Direction] = mapped_column(String(8))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    access_point_id: Mapped[int] = mapped_column(ForeignKey("access_point.id"))
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))
    purpose: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[Method] = mapped_column(String(8))
    credential: Mapped[str] = mapped_column(String(16), default="badge")  # badge, boarding_pass, id
    document_inspected: Mapped[str | None] = mapped_column(String(100))  # manual: "type number"
    flags: Mapped[str] = mapped_column(String(200), default="")  # warning codes, comma-separated
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    access_point: Mapped[AccessPoint] = relationship()
    recorded_by: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_movement_person_occurred", "person_id", "occurred_at"),
        Index("ix_movement_port_call_occurred", "port_call_id", "occurred_at"),
    )


class Refusal(db.Model):
    """A refused attempt to cross, kept for the SSO (B/9.12) with what was presented."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scanned_text: Mapped[str] = mapped_column(Text)  # truncated to the badge parser's limit
    reason_code: Mapped[str] = mapped_column(String(32), index=True)
    reason_message: Mapped[str] = mapped_column(String(255))
    reason_codes: Mapped[str] = mapped_column(String(200))  # every reason, comma-separated
    direction: Mapped[Direction] = mapped_column(String(8))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badge.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    access_point_id: Mapped[int] = mapped_column(ForeignKey("access_point.id"))
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))
    purpose: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[Method] = mapped_column(String(8))
    credential: Mapped[str] = mapped_column(String(16), default="badge")
    watch_list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("watch_list_entry.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    person: Mapped[Person | None] = relationship()
    access_point: Mapped[AccessPoint] = relationship()


class WatchListEntry(db.Model):
    """A person or document the SSO says must be refused, with the reason (B/9.12)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str | None] = mapped_column(String(120))
    given_names: Mapped[str | None] = mapped_column(String(120))
    document_number: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
