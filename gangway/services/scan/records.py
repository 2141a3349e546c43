"""A scan's record: the movement's and the refusal's columns, and whether the person is aboard.

Split from services/scanning.py, which decides and writes in one transaction through these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gangway.domain.codes.badges import MAX_CODE_LENGTH, scanned_text
from gangway.domain.scan.reasons import MASTER_OVERRIDE_CODE, WATCH_LISTED_CODE
from gangway.domain.scan.types import Credential, Direction
from gangway.services.audit.record_snapshots import escort_snapshot, person_snapshot
from gangway.services.scan.credentials import Presented
from gangway.services.scan.input import ScanInput
from gangway.services.scan.replay import has_later_movement, was_aboard_at
from gangway.services.scan.rows import connection
from gangway.services.scan.writes import MOVEMENT_TABLE, Written, move_presence, write_record


def is_aboard(session: Session, person, late_at: datetime | None) -> bool:
    """Return whether the person is aboard now, or for a late check at its scan time (as now
    if they have not crossed since)."""
    if person is None:
        return False
    if late_at is not None:
        conn = connection(session)
        if has_later_movement(conn, person.id, late_at):
            return was_aboard_at(conn, person.id, late_at)
    return person.aboard_movement_id is not None


def write_movement(
    decision, presented: Presented, inspected, search, common, conn, escort=None
) -> Written:
    """Insert the movement and move the person's presence pointer with it."""
    person, badge = presented.person, presented.badge
    override = next((r for r in decision.reasons if r.code == MASTER_OVERRIDE_CODE), None)
    values = {
        **common,
        "person_id": person.id,
        "badge_id": badge.id if badge else None,
        "flags": ",".join(r.code for r in decision.warnings),
        "document_inspected": (
            inspected if presented.credential is Credential.ID_DOCUMENT else None
        ),
        "escort_id": decision.escort_id,
        "searched": search == "done",
        "override_reason": override.message if override else None,
        **person_snapshot(person),
        **escort_snapshot(escort if decision.escort_id else None),
    }
    when = common["occurred_at"]
    late = when != common["received_at"] and has_later_movement(conn, person.id, when)
    written = write_record(conn, MOVEMENT_TABLE, values)
    if not late:  # a late scan older than the person's last crossing leaves presence alone
        board = decision.direction is Direction.BOARD
        move_presence(conn, person.id, written.id if board else None)
    return written


def refusal_values(decision, data: ScanInput, presented: Presented, common) -> dict:
    """Return the refusal's columns: every reason and what was presented (bounded)."""
    first = decision.refusal
    person, badge = presented.person, presented.badge
    document = " ".join(filter(None, [data.document_type, data.document_number])) or "-"
    how = "document read" if data.method == "document" else "manual check"  # photo, camera, scanner
    shown = scanned_text(data.code) if data.code else f"{how}: {document}"
    return {
        **common,
        "scanned_text": shown[:MAX_CODE_LENGTH],
        "reason_code": first.code,
        "reason_message": first.message,
        "reason_codes": ",".join(r.code for r in decision.reasons),
        "person_id": person.id if person else None,
        "badge_id": badge.id if badge else None,
        "watch_list_entry_id": first.ref if first.code == WATCH_LISTED_CODE else None,
        **person_snapshot(person),
    }
