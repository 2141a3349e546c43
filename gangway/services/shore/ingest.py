"""A ship's batch ashore: verified against the chain held, added in one transaction, or refused
whole and kept aside as evidence (issue 17 point 3).

One ship's batches are serialised by a lock on its row (SELECT ... FOR UPDATE on PostgreSQL), so
two copies of a batch arriving at once are added once; ships never wait for each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from gangway.background import shore_alerts
from gangway.db.bulk import insert_from_json, json_rows
from gangway.db.models import ShoreEntry, ShoreQuarantine, ShoreShip
from gangway.domain.shore.batches import WRONG_SHIP, Accepted, Diverged, Head, verify_batch
from gangway.domain.shore.wire import Batch
from gangway.services.after_commit import defer, unit_of_work
from gangway.services.audit.audit import append
from gangway.services.shore.projection import project_entries

DIVERGED = "diverged"  # a ship's chain_status: "ok" until a batch does not continue it
WRONG_SHIP_KEPT = 10  # batches with another ship's IMO kept per token and day; later ones refused
ENTRY = ShoreEntry.__table__
_INSERT = insert(ENTRY)
# PostgreSQL: the batch's entries in one statement (gangway/db/bulk.py says why).
_INSERT_FROM_JSON = insert_from_json(ENTRY)


@dataclass(frozen=True)
class Refused:
    """A batch refused: the HTTP status it answers with, a stable code, the entry, why."""

    status: int
    code: str
    seq: int | None
    message: str


@dataclass(frozen=True)
class Ingested:
    """A batch taken: how many entries were added, how many were held already, the new head."""

    accepted: int
    already_held: int
    head: Head


def ingest_batch(
    session: Session, ship_id: int, batch: Batch, raw: bytes, now: datetime
) -> Ingested | Refused:
    """Verify a ship's batch against its chain ashore and add it, or refuse it and keep it."""
    with unit_of_work(session):
        # populate_existing: the caller may have loaded the row before another batch moved it.
        locked = select(ShoreShip).where(ShoreShip.id == ship_id).with_for_update()
        ship = session.scalars(locked.execution_options(populate_existing=True)).one()
        head = Head(ship.head_seq, ship.head_hash, ship.head_recorded_at)
        if batch.imo == ship.imo:  # the ship's own word on its level and who is aboard
            ship.last_contact_at, ship.status = now, batch.status or ship.status
        if ship.chain_status == DIVERGED and batch.imo == ship.imo:
            return Refused(409, DIVERGED, ship.diverged_at, _still_diverged(ship))
        held = _held(session, ship.id, batch, head.seq)
        result = verify_batch(ship.imo, batch.imo, head, held, batch.entries)
        if isinstance(result, Diverged):
            return _refuse(session, ship, result, raw, now)
        _add(session, ship.id, result, now)
        ship.head_seq, ship.head_hash = result.head.seq, result.head.entry_hash
        ship.head_recorded_at = result.head.recorded_at
        return Ingested(len(result.entries), result.already_held, result.head)


def _held(session: Session, ship_id: int, batch: Batch, top: int) -> dict[int, str]:
    """Return the hashes held for the batch's entries numbered up to the head."""
    if not batch.entries or batch.entries[0].seq > top:
        return {}
    low, high = batch.entries[0].seq, min(batch.entries[-1].seq, top)
    rows = session.execute(
        select(ENTRY.c.seq, ENTRY.c.entry_hash).where(
            ENTRY.c.ship_id == ship_id, ENTRY.c.seq.between(low, high)
        )
    )
    return {seq: entry_hash for seq, entry_hash in rows}


def _add(session: Session, ship_id: int, result: Accepted, now: datetime) -> None:
    if not result.entries:
        return
    rows = [
        {
            "ship_id": ship_id,
            "seq": e.seq,
            "kind": e.kind,
            "record_table": e.record_table,
            "record_id": e.record_id,
            "digest": e.digest,
            "payload": e.payload,
            "prev_hash": e.prev_hash,
            "entry_hash": e.entry_hash,
            "recorded_at": e.recorded_at,
            "fields": list(e.fields) if e.fields is not None else None,
            "content": e.content,
            "received_at": now,
        }
        for e in result.entries
    ]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_INSERT_FROM_JSON, json_rows(rows))
    else:  # SQLite, `shore init --allow-sqlite`: row by row
        session.execute(_INSERT, rows)
    project_entries(session, ship_id, result.entries)  # the facility's view (point 5)


def _refuse(
    session: Session, ship: ShoreShip, fault: Diverged, raw: bytes, now: datetime
) -> Refused:
    """Keep the batch aside; a divergence of the ship's own chain marks it and is chained."""
    if fault.code == WRONG_SHIP and _wrong_ship_kept(session, ship.id, now) >= WRONG_SHIP_KEPT:
        # A leaked token must not fill the disk: enough evidence is kept for the day.
        return Refused(403, WRONG_SHIP, fault.seq, fault.message)
    kept = ShoreQuarantine(
        ship_id=ship.id,
        received_at=now,
        reason=fault.code,
        seq=fault.seq,
        message=fault.message[:300],
        body=raw,
        body_sha256=hashlib.sha256(raw).hexdigest(),
    )
    session.add(kept)
    session.flush()
    defer(session, _tell_the_cso, kept.id)
    if fault.code == WRONG_SHIP:  # the token's ship's chain is intact: its token is not
        return Refused(403, WRONG_SHIP, fault.seq, fault.message)
    ship.chain_status, ship.diverged_at = DIVERGED, fault.seq
    # The shore's own chain records the refusal: the CSO's alert cannot be quietly removed.
    append(
        session,
        "shore.chain_diverged",
        {"imo": ship.imo, "seq": fault.seq, "code": fault.code, "message": fault.message},
    )
    return Refused(409, "diverged", fault.seq, f"{fault.code}: {fault.message}")


def _wrong_ship_kept(session: Session, ship_id: int, now: datetime) -> int:
    return session.scalar(
        select(func.count()).where(
            ShoreQuarantine.ship_id == ship_id,
            ShoreQuarantine.reason == WRONG_SHIP,
            ShoreQuarantine.received_at > now - timedelta(days=1),
        )
    )


def _tell_the_cso(quarantine_id: int) -> None:
    """Queue the CSO's mail about a refused batch once it is kept (mail off: nothing)."""
    if current_app.config.get("MAIL_SERVER"):
        shore_alerts.send_refused_batch_alert(current_app._get_current_object(), quarantine_id)


def _still_diverged(ship: ShoreShip) -> str:
    return (
        f"the chain ashore diverged at #{ship.diverged_at}: no batch is taken until the CSO "
        "has looked into it (the refused batch is kept)"
    )
