"""Build port calls and their records straight in the database, for tests that read them back.

The retention tests, the audit-chain purge test and the report tests need calls with one record
of every kind; these builders write them without the app's rules in between.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from gangway.db.models import (
    AccessPoint,
    Declaration,
    LevelChange,
    Movement,
    PortCall,
    Refusal,
    RefusalFollowUp,
    ReportSignOff,
)
from tests.conftest import NOW

DAYS = 730  # the retention period the old calls are well past


def add_refusal(session, *, call_id, point_id, user_id, at, code, message=None) -> Refusal:
    """Add a refusal of a scanned 'x' at boarding; the message defaults to the code."""
    refusal = Refusal(
        scanned_text="x",
        reason_code=code,
        reason_message=message or code,
        reason_codes=code,
        direction="board",
        occurred_at=at,
        access_point_id=point_id,
        port_call_id=call_id,
        method="scan",
        recorded_by_id=user_id,
    )
    session.add(refusal)
    return refusal


def add_level_change(session, *, call_id, user_id, at, reason, ordered_by, **extra) -> None:
    """Add a change to level 2 notified at `at`."""
    session.add(
        LevelChange(
            level=2,
            reason=reason,
            ordered_by=ordered_by,
            notified_at=at,
            recorded_by_id=user_id,
            port_call_id=call_id,
            **extra,
        )
    )


def add_declaration(session, *, call_id, user_id, at, valid_until, **fields) -> None:
    """Add a level 2 Declaration of Security signed and valid from `at`."""
    values = {
        "ship_party_name": "SSO",
        "port_party_name": "PFSO",
        "measures": "Search all",
        **fields,
    }
    session.add(
        Declaration(
            port_call_id=call_id,
            level=2,
            ship_party_role="sso",
            reason="Level 2",
            valid_from=at,
            valid_until=valid_until,
            signed_at=at,
            recorded_by_id=user_id,
            **values,
        )
    )


def add_call(session, *, arrived_at: datetime, user_id, person_id, point_id) -> int:
    """Add a closed port call with two movements and one of every other record."""
    departed_at = arrived_at + timedelta(days=2)
    at = arrived_at + timedelta(hours=1)
    call = PortCall(port_name="Old port", arrived_at=arrived_at, departed_at=departed_at)
    session.add(call)
    session.flush()
    common = {"access_point_id": point_id, "port_call_id": call.id, "recorded_by_id": user_id}
    for direction in ("board", "depart"):
        session.add(
            Movement(
                person_id=person_id, direction=direction, occurred_at=at, method="scan", **common
            )
        )
    ids = {"call_id": call.id, "user_id": user_id, "at": at}
    refusal = add_refusal(session, **ids, point_id=point_id, code="expired", message="Expired")
    session.flush()
    session.add(
        RefusalFollowUp(refusal_id=refusal.id, acknowledged_at=at, acknowledged_by_id=user_id)
    )
    add_level_change(session, **ids, reason="=cmd", ordered_by="own", recorded_at=at)
    add_declaration(session, **ids, valid_until=departed_at, recorded_at=at)
    session.add(
        ReportSignOff(
            port_call_id=call.id,
            signed_by_name="SSO",
            signed_by_id=user_id,
            signed_at=departed_at,
            content_hash="0" * 64,
        )
    )
    return call.id


def add_old_calls(session, *, user_id, person_id, count: int = 11) -> list[int]:
    """Add `count` calls closed long ago, oldest first, 100 days apart; commit; return the ids."""
    point_id = session.scalars(select(AccessPoint.id)).first()
    ids = [
        add_call(
            session,
            arrived_at=NOW - timedelta(days=3000 - 100 * i),
            user_id=user_id,
            person_id=person_id,
            point_id=point_id,
        )
        for i in range(count)
    ]
    session.commit()
    return ids
