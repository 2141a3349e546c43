"""The ship's particulars and certificate for the Security Report, and ship-to-ship activities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime, utcnow
from gangway.extensions import db


class ShipParticulars(db.Model):
    """The particulars as the SSO last saved them (MSC.1/Circ.1305 1.1-1.11, 3.1).

    Append-only: a change is a new row and the newest is in force, so the history of the
    certificate and the particulars stays on the record.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    imo_number: Mapped[str] = mapped_column(String(7))
    name: Mapped[str] = mapped_column(String(120))
    port_of_registry: Mapped[str] = mapped_column(String(120))
    flag_state: Mapped[str] = mapped_column(String(64))
    ship_type: Mapped[str] = mapped_column(String(64))
    call_sign: Mapped[str] = mapped_column(String(16))
    inmarsat_numbers: Mapped[str | None] = mapped_column(String(120))
    gross_tonnage: Mapped[int]
    company_name: Mapped[str] = mapped_column(String(120))
    company_imo_number: Mapped[str] = mapped_column(String(7))
    cso_name: Mapped[str] = mapped_column(String(120))
    cso_contact: Mapped[str] = mapped_column(String(200))  # 24-hour telephone, e-mail
    certificate_kind: Mapped[str] = mapped_column(String(8))  # issc or interim
    certificate_issuer: Mapped[str] = mapped_column(String(120))
    certificate_expires_on: Mapped[date] = mapped_column(Date)
    ssp_approved_on_board: Mapped[bool]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))


class StsActivity(db.Model):
    """A ship-to-ship activity and the security procedures kept during it (B/4.38)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    other_ship_name: Mapped[str] = mapped_column(String(120))
    other_ship_imo: Mapped[str | None] = mapped_column(String(7))
    other_ship_flag: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    level: Mapped[int]
    measures: Mapped[str] = mapped_column(Text)
    procedures_maintained: Mapped[bool]
    declaration: Mapped[str | None] = mapped_column(String(200))  # the DoS with the other ship
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
