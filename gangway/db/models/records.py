"""What the gangway records: movements and refusals (ISPS A/10.1)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gangway.db.types import StrEnumText, UTCDateTime
from gangway.domain.scan.types import Credential, Direction, Method
from gangway.extensions import db

if TYPE_CHECKING:  # relationship targets, resolved by name at mapping time
    from gangway.db.models.accounts import User
    from gangway.db.models.people import Person
    from gangway.db.models.ship import AccessPoint


class Movement(db.Model):
    """A recorded boarding or departure (ISPS A/10.1: records of security activities)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    badge_id: Mapped[int | None] = mapped_column(ForeignKey("badge.id"))
    direction: Mapped[Direction] = mapped_column(String(8))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    access_point_id: Mapped[int] = mapped_column(ForeignKey("access_point.id"))
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))
    # At sea (no port call): the voyage it was made on. One of the two is always set.
    voyage_id: Mapped[int | None] = mapped_column(ForeignKey("voyage.id"), index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[Method] = mapped_column(String(8))
    credential: Mapped[Credential] = mapped_column(
        StrEnumText(Credential, 16), default=Credential.BADGE
    )
    document_inspected: Mapped[str | None] = mapped_column(String(100))  # manual: "type number"
    escort_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    searched: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(String(255))  # master's, when suspended
    flags: Mapped[str] = mapped_column(String(200), default="")  # warning codes, comma-separated
    # Offline tablets: idempotency key, when the server got it, the provisional verdict
    client_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offline_verdict: Mapped[str | None] = mapped_column(String(8))  # allowed/refused; None: online
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    escort: Mapped[Person | None] = relationship(foreign_keys=[escort_id])
    access_point: Mapped[AccessPoint] = relationship()
    # Who the person was when this was recorded (name, kind, company, document): what the log
    # and reports show, whatever the person is renamed to later (ISPS A/10.3).
    person_family_name: Mapped[str | None] = mapped_column(String(120))
    person_given_names: Mapped[str | None] = mapped_column(String(120))
    person_kind: Mapped[str | None] = mapped_column(String(16))
    person_company: Mapped[str | None] = mapped_column(String(120))
    person_document_number: Mapped[str | None] = mapped_column(String(64))
    escort_family_name: Mapped[str | None] = mapped_column(String(120))  # the escort's, likewise
    escort_given_names: Mapped[str | None] = mapped_column(String(120))
    recorded_by: Mapped[User] = relationship()

    @property
    def recorded_name(self) -> str | None:
        """Return 'FAMILY, Given' of the person as this record stored them (None: nobody)."""
        return _recorded_name(self)

    __table_args__ = (
        Index("ix_movement_person_occurred", "person_id", "occurred_at"),
        # The access log: pages in time order (id breaks ties; person and direction filter
        # without reading the table) and counts per person (services/access_log.py).
        Index(
            "ix_movement_port_call_log",
            "port_call_id",
            "occurred_at",
            "id",
            "person_id",
            "direction",
        ),
        # Counts per person and recorded name for the log's name order, read off the index.
        Index(
            "ix_movement_port_call_person",
            "port_call_id",
            "person_id",
            "person_family_name",
            "person_given_names",
        ),
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
    voyage_id: Mapped[int | None] = mapped_column(ForeignKey("voyage.id"), index=True)  # at sea
    purpose: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[Method] = mapped_column(String(8))
    credential: Mapped[Credential] = mapped_column(
        StrEnumText(Credential, 16), default=Credential.BADGE
    )
    watch_list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("watch_list_entry.id"))
    # Offline tablets: idempotency key, when the server got it, the provisional verdict
    client_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offline_verdict: Mapped[str | None] = mapped_column(String(8))  # allowed/refused; None: online
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Who the person was when this was recorded (name, kind, company, document): what the log
    # and reports show, whatever the person is renamed to later (ISPS A/10.3).
    person_family_name: Mapped[str | None] = mapped_column(String(120))
    person_given_names: Mapped[str | None] = mapped_column(String(120))
    person_kind: Mapped[str | None] = mapped_column(String(16))
    person_company: Mapped[str | None] = mapped_column(String(120))
    person_document_number: Mapped[str | None] = mapped_column(String(64))
    person: Mapped[Person | None] = relationship()
    access_point: Mapped[AccessPoint] = relationship()

    @property
    def recorded_name(self) -> str | None:
        """Return 'FAMILY, Given' of the person as this record stored them (None: nobody)."""
        return _recorded_name(self)

    __table_args__ = (
        Index("ix_refusal_port_call_log", "port_call_id", "occurred_at", "id"),  # the access log
    )


def _recorded_name(record) -> str | None:
    if record.person_family_name is None:  # no copy: a row written beside the app
        return record.person.display_name if record.person else None
    given = record.person_given_names or ""
    return f"{record.person_family_name.upper()}, {given}".rstrip(", ")
