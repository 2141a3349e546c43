"""People who cross the gangway, their badges, and the watch list."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gangway.db.types import UTCDateTime, utcnow
from gangway.domain.scan.types import PersonKind
from gangway.extensions import db

if TYPE_CHECKING:  # relationship targets, resolved by name at mapping time
    from gangway.db.models.records import Movement
    from gangway.db.models.ship import PortCall


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
    is_responder: Mapped[bool] = mapped_column(default=False)  # level 3: responding to the incident
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
    renames: Mapped[list[PersonRename]] = relationship(
        order_by="PersonRename.id", viewonly=True, back_populates="person"
    )

    @property
    def display_name(self) -> str:
        """Return 'FAMILY, Given' as read out at the gangway."""
        return f"{self.family_name.upper()}, {self.given_names}".rstrip(", ")

    def rename_note(self, since: datetime | None = None) -> str | None:
        """Return 'was OLD, Name until YYYY-MM-DD' for the latest rename (after `since`)."""
        r = self.renames[-1] if self.renames else None
        if r is None or (since is not None and r.renamed_at <= since):
            return None
        return f"was {r.display_name_before} until {r.renamed_at:%Y-%m-%d}"


class PersonRename(db.Model):
    """A person's name changed (a list import): the old name stays on record (ISPS A/10.3)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    family_name_before: Mapped[str] = mapped_column(String(120))
    given_names_before: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(120))
    renamed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    renamed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    source: Mapped[str] = mapped_column(String(32))  # what renamed them: "crew list", ...
    person: Mapped[Person] = relationship(back_populates="renames")

    @property
    def display_name_before(self) -> str:
        """Return the old name as 'FAMILY, Given'."""
        return f"{self.family_name_before.upper()}, {self.given_names_before}".rstrip(", ")


class DocumentPhoto(db.Model):
    """A photo of a person's identity document, kept on their record by the SSO (issue 18).

    Chained: its SHA-256 is in the digest, so an image swapped in document_photo_image shows in
    verify-log. It goes with its port call's records at the purge, or earlier when the SSO
    deletes it (then `deleted_at` is set and the image row goes).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int]
    # The call whose purge removes it: the open one when kept, else the last one (at sea).
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"), index=True)
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kept_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    person: Mapped[Person] = relationship()
    # Written with the row; read only where the image is served (never loaded with the row).
    image: Mapped[DocumentPhotoImage | None] = relationship(lazy="raise_on_sql")


class DocumentPhotoImage(db.Model):
    """The JPEG of a kept document photo (not chained itself: its SHA-256 is, on DocumentPhoto)."""

    document_photo_id: Mapped[int] = mapped_column(
        ForeignKey("document_photo.id"), primary_key=True, autoincrement=False
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


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
    # A visitor's temporary badge (B/9.11) is good for the port call it was issued in: once
    # that call is closed it is refused as expired, whatever its dates. None: its dates only.
    port_call_id: Mapped[int | None] = mapped_column(ForeignKey("port_call.id"))
    person: Mapped[Person] = relationship()
    port_call: Mapped[PortCall | None] = relationship(viewonly=True)


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
    # "ship": the SSO's own entry; "fleet": taken from the CSO's fleet list ashore (read-only on
    # board, removed when the shore removes it), fleet_entry_id being its id ashore.
    source: Mapped[str] = mapped_column(String(8), default="ship", server_default="ship")
    fleet_entry_id: Mapped[int | None] = mapped_column(index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
