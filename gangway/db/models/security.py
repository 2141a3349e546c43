"""Security records the SSO keeps: Declarations of Security and follow-ups of refused entries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime, utcnow
from gangway.extensions import db


class Declaration(db.Model):
    """A Declaration of Security between the ship and the port facility (ISPS A/5, B/5)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"), index=True)
    level: Mapped[int]
    ship_party_name: Mapped[str] = mapped_column(String(120))
    ship_party_role: Mapped[str] = mapped_column(String(16))  # master or sso
    port_party_name: Mapped[str] = mapped_column(String(120))  # the PFSO
    port_facility: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(255))  # ship above the port's level, or requested
    measures: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))


class RefusalFollowUp(db.Model):
    """The SSO's acknowledgement of a refused entry and what was done (33 CFR 104.235(b)(3)).

    A new row, never an edit of the refusal: the refusal stays as the watch recorded it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    refusal_id: Mapped[int] = mapped_column(ForeignKey("refusal.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    description: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    location_in_port: Mapped[str | None] = mapped_column(String(200))
    location_on_vessel: Mapped[str | None] = mapped_column(String(200))
    reported_to_cso_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_to_pfso_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_to_authorities_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    authorities: Mapped[str | None] = mapped_column(String(200))


class ReportSignOff(db.Model):
    """The SSO's sign-off of an end-of-port-call report: the content hash freezes it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    port_call_id: Mapped[int] = mapped_column(ForeignKey("port_call.id"), index=True)
    signed_by_name: Mapped[str] = mapped_column(String(120))
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the report's records
