"""Archive a port call's records to a zip file, and purge them once the retention rule allows.

The admin runs both from the ship's computer (`gangway archive-port-call`, `purge-port-call`).
The PortCall row itself is never deleted: the call list keeps showing it, with `archived_at`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from gangway.db.models import (
    Declaration,
    DocumentPhoto,
    LevelChange,
    Movement,
    Person,
    PortCall,
    Refusal,
    RefusalFollowUp,
    ReportSignOff,
)
from gangway.domain.records.audit_chain import PURGE_KIND
from gangway.domain.ship.retention import is_purgeable
from gangway.services.audit import audit
from gangway.services.audit.verify import removal_summary
from gangway.services.errors import BadInput
from gangway.services.people.document_photos import (
    count_document_photos,
    photos_of_call,
    purge_document_photos,
)
from gangway.services.reports.archive_zip import archive_files, write_zip_atomically

# File name -> model, in the order the zip holds them (and the purge deletes children first).
RECORD_FILES = {
    "movements.csv": Movement,
    "refusals.csv": Refusal,
    "follow_ups.csv": RefusalFollowUp,
    "level_changes.csv": LevelChange,
    "declarations.csv": Declaration,
    "sign_offs.csv": ReportSignOff,
}
_MODELS = tuple(RECORD_FILES.values())
# When each kind of record was written: a later one than archived_at is missing from the file.
# A scan sent late by an offline tablet is filed under the call it was made in, perhaps after
# that call was archived: its receive time counts, not its scan time.
_WRITTEN_AT = {
    Movement: func.coalesce(Movement.received_at, Movement.occurred_at),
    Refusal: func.coalesce(Refusal.received_at, Refusal.occurred_at),
    RefusalFollowUp: RefusalFollowUp.acknowledged_at,
    LevelChange: LevelChange.recorded_at,
    Declaration: Declaration.recorded_at,
    ReportSignOff: ReportSignOff.signed_at,
}


def archive_port_call(session: Session, call_id: int, path: Path, *, now: datetime) -> Path:
    """Write the call's records to a zip at `path` (a file, or a folder to put it in).

    The file appears complete or not at all (temp file + os.replace); then `archived_at` is set.

    :raises BadInput: no such port call, or it is still open.
    """
    call = _closed_call(session, call_id)
    path = Path(path)
    if path.is_dir():
        path = path / f"port-call-{call.id}-{now:%Y%m%dT%H%M%SZ}.zip"
    records = {
        name: (model, list(session.scalars(_records_of(model, call.id).order_by(model.id))))
        for name, model in RECORD_FILES.items()
    }
    write_zip_atomically(path, archive_files(call, records, now=now))
    call.archived_at = now
    session.commit()
    return path


def purge_preview(
    session: Session, call_id: int, *, now: datetime, retention_days: int
) -> dict[str, int]:
    """Return how many records a purge would delete, per kind.

    :raises BadInput: the call may not be purged (the message says why).
    """
    call = _purgeable_call(session, call_id, now=now, retention_days=retention_days)
    counts = {
        name.removesuffix(".csv"): session.scalar(
            select(func.count()).select_from(_records_of(model, call.id).subquery())
        )
        for name, model in RECORD_FILES.items()
    }
    counts["aboard_pointers"] = session.scalar(
        select(func.count()).select_from(Person).where(_points_at_call(call.id))
    )
    counts["document_photos"] = count_document_photos(session, call.id)
    return counts


def purge_port_call(
    session: Session, call_id: int, *, now: datetime, retention_days: int
) -> dict[str, int]:
    """Delete an archived old call's records in one transaction; return the counts per kind.

    :raises BadInput: the call may not be purged (the message says why); nothing is deleted.
    """
    call = _purgeable_call(session, call_id, now=now, retention_days=retention_days)
    ids = {m.__table__.name: select(m.id).where(_belongs(m, call.id)) for m in _MODELS}
    # Kept document photos go with the call's records (issue 18), never into its archive.
    ids["document_photo"] = select(DocumentPhoto.id).where(photos_of_call(call.id))
    problem, removed = removal_summary(session, ids)
    if problem:  # purging a tampered record would hide it
        raise BadInput("port_call", f"Not purged: {problem.message}. Run `gangway verify-log`.")
    counts = {}
    try:
        cleared = session.execute(
            update(Person).where(_points_at_call(call.id)).values(aboard_movement_id=None),
            execution_options={"synchronize_session": False},
        )
        counts["aboard_pointers"] = cleared.rowcount
        # Children first: follow-ups reference refusals (and their subquery needs them still).
        for name in ("follow_ups.csv", *(n for n in RECORD_FILES if n != "follow_ups.csv")):
            model = RECORD_FILES[name]
            counts[name.removesuffix(".csv")] = _delete(session, model, _belongs(model, call.id))
        counts["document_photos"] = purge_document_photos(session, call.id)
        # The one authorised deletion: the chain records which rows went and their digest.
        audit.append(session, PURGE_KIND, {"port_call_id": call.id, "tables": removed})
    except Exception:
        session.rollback()  # all or nothing
        raise
    session.commit()  # also expires what the bulk statements left stale in the session
    return counts


def _closed_call(session: Session, call_id: int) -> PortCall:
    call = session.get(PortCall, call_id)
    if call is None:
        raise BadInput("port_call", f"No port call {call_id}.")
    if call.departed_at is None:
        raise BadInput("port_call", "The port call is still open: close it before archiving.")
    return call


def _purgeable_call(
    session: Session, call_id: int, *, now: datetime, retention_days: int
) -> PortCall:
    call = session.get(PortCall, call_id)
    if call is None:
        raise BadInput("port_call", f"No port call {call_id}.")
    newer = (
        select(func.count())
        .select_from(PortCall)
        .where(
            or_(
                PortCall.arrived_at > call.arrived_at,
                and_(PortCall.arrived_at == call.arrived_at, PortCall.id > call.id),
            )
        )
    )
    rank = session.scalar(newer) + 1
    purgeable, why = is_purgeable(call.departed_at, rank, call.archived_at, now, retention_days)
    if not purgeable:
        raise BadInput("port_call", why)
    latest = _latest_written_at(session, call.id)
    if latest is not None and latest > call.archived_at:
        raise BadInput("port_call", "Records were added after the archive: archive it again.")
    return call


def _latest_written_at(session: Session, call_id: int) -> datetime | None:
    """Return when the call's newest record was written, or None if it has none."""
    times = [
        session.scalar(select(func.max(_WRITTEN_AT[model])).where(_belongs(model, call_id)))
        for model in RECORD_FILES.values()
    ]
    return max((t for t in times if t is not None), default=None)


def _belongs(model, call_id: int):
    """Return the condition for a record of `model` to belong to the port call."""
    if model is RefusalFollowUp:
        refusal_ids = select(Refusal.id).where(Refusal.port_call_id == call_id)
        return RefusalFollowUp.refusal_id.in_(refusal_ids)
    return model.port_call_id == call_id


def _records_of(model, call_id: int):
    return select(model).where(_belongs(model, call_id))


def _points_at_call(call_id: int):
    movement_ids = select(Movement.id).where(Movement.port_call_id == call_id)
    return Person.aboard_movement_id.in_(movement_ids)


def _delete(session: Session, model, condition) -> int:
    result = session.execute(
        delete(model).where(condition), execution_options={"synchronize_session": False}
    )
    return result.rowcount
