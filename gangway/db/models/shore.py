"""The shore server's copy of each ship's records: ships, their chains, refused batches.

Used only ashore (config SHORE, PostgreSQL); a ship's database has the tables, empty.
Not chained into the shore's own audit chain: each ship's entries are a hash chain already
(verified as they arrive), and a refused batch is kept whole with its SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gangway.db.types import UTCDateTime, utcnow
from gangway.domain.records.audit_chain import GENESIS
from gangway.extensions import db


class ShoreShip(db.Model):
    """A ship of the fleet: its link token's hash, the head of its chain ashore, its status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    imo: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last entry held: every batch is verified against it (seq 0 and GENESIS: none yet).
    head_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    head_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chain_status: Mapped[str] = mapped_column(String(16), default="ok")  # ok | diverged
    diverged_at: Mapped[int | None] = mapped_column(BigInteger)  # the first entry at fault
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[dict | None] = mapped_column(JSON)  # the ship's last status (fleet page)


class ShoreEntry(db.Model):
    """An entry of a ship's audit chain as held ashore, with the record's content when sent."""

    ship_id: Mapped[int] = mapped_column(ForeignKey("shore_ship.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    record_table: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[int | None] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fields: Mapped[list | None] = mapped_column(JSON)  # the columns the digest covers
    content: Mapped[dict | None] = mapped_column(JSON)  # None: the row changed before it was sent
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShoreQuarantine(db.Model):
    """A refused batch kept whole as evidence (a divergence or a token used by another ship)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ship_id: Mapped[int] = mapped_column(ForeignKey("shore_ship.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(32))  # a code of gangway.domain.shore.batches
    seq: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(String(300))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # the gzip bytes as received
    body_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_shore_quarantine_ship", "ship_id", "received_at"),)


class ShorePhoto(db.Model):
    """A person's photo the SSO sent ashore (issue 17): kept only when its SHA-256 is the one in
    the ship's chained `photo.sent_ashore` entry held ashore; the CSO sees it, nobody else."""

    ship_id: Mapped[int] = mapped_column(ForeignKey("shore_ship.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    photo: Mapped[str] = mapped_column(String(16), primary_key=True)  # "id" or "document"
    seq: Mapped[int] = mapped_column(BigInteger)  # the ship's entry that sent it
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
