"""Ashore: each ship's records as they stand, kept from the entries as they arrive (issue 17
point 5), so that a port facility's calls, their logs and expected visitors are queryable.

A projection of shore_entry, written only by the ingest (services/shore/ingest.py, through
services/shore/projection.py) in the transaction that adds the entries: the latest content of
each record that an entry carried. The chain in shore_entry stays the evidence.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from gangway.extensions import db


class ShoreRecord(db.Model):
    """A ship's record (a port call, a movement, a refusal, a person, a badge) as last sent."""

    ship_id: Mapped[int] = mapped_column(ForeignKey("shore_ship.id"), primary_key=True)
    record_table: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)  # the entry whose content this is
    port_call_id: Mapped[int | None] = mapped_column(BigInteger)  # the ship's own id of the call
    # A port call's facility name, trimmed and casefolded: how a PFSO's calls are found.
    facility_key: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[dict] = mapped_column(JSON)
    # The CSO's fleet search (issue 17 point 4) of a person, a movement or a refusal: the name's
    # words (domain/shore/name_keys.py; a tsvector on PostgreSQL, searched by its GIN index) and
    # the document number as compared.
    name_words: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    document_key: Mapped[str | None] = mapped_column(String(64))
    # What the search shows of a person, a movement or a refusal, copied from the content as it
    # is written (text: a ship's odd value never fails a batch), so that a common name's
    # thousands of rows are read without their JSON.
    seen_at: Mapped[str | None] = mapped_column(Text)  # ISO text as sent: sorts by time
    person_ref: Mapped[int | None] = mapped_column(BigInteger)  # the ship's person id
    person_family: Mapped[str | None] = mapped_column(Text)
    person_given: Mapped[str | None] = mapped_column(Text)
    person_kind: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    reason_code: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_shore_record_call", "ship_id", "record_table", "port_call_id"),
        Index("ix_shore_record_facility", "record_table", "facility_key"),
        Index("ix_shore_record_name_words", "name_words", postgresql_using="gin"),
        Index("ix_shore_record_document_key", "document_key"),
    )
