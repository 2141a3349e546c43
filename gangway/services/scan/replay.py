"""Idempotent and late scans: a tablet that sends a check again (its offline queue, a response
lost on the way back) is answered from the record written the first time, never a second one.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.db.models import Movement, Refusal
from gangway.domain.scan import levels, offline, reasons
from gangway.domain.scan.offline import MAX_REASON_CODE, VERDICTS, scan_time_problem
from gangway.domain.scan.types import Decision, Direction, Reason, Severity, Verdict
from gangway.services.errors import BadInput, LateScanRefused

MAX_OFFLINE_AGE = timedelta(hours=72)  # a weekend without network; older checks go on paper
CLOCK_SKEW = timedelta(minutes=5)  # tablet clocks drift; more than this ahead is a wrong clock
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_REASON_CODE = re.compile(rf"^[a-z_]{{1,{MAX_REASON_CODE}}}$")


def check_offline_fields(
    data, now: datetime, *, max_age: timedelta = MAX_OFFLINE_AGE, skew: timedelta = CLOCK_SKEW
) -> datetime:
    """Check the idempotency key, device time and provisional verdict; return when it happened.

    :raises BadInput: a malformed key, an implausible scan time, or a verdict without its time.
    """
    if data.client_key is not None and not _UUID.match(data.client_key):
        raise BadInput("client_key", "client_key must be a UUID in lower case (8-4-4-4-12 hex).")
    if data.offline_verdict not in (None, *VERDICTS):
        raise BadInput("offline_verdict", "offline_verdict is 'allowed' or 'refused'.")
    if data.offline_reason is not None and not _REASON_CODE.match(data.offline_reason):
        raise BadInput("offline_reason", "offline_reason is a reason code such as 'revoked'.")
    if data.scanned_at is None:
        if data.offline_verdict:
            raise BadInput("scanned_at", "An offline verdict needs the time of the scan.")
        return now
    if not data.client_key:
        raise BadInput("client_key", "A scan sent late (scanned_at) needs its client_key.")
    problem = scan_time_problem(data.scanned_at, now, max_age=max_age, skew=skew)
    if problem and data.scanned_at.tzinfo is not None and data.scanned_at > now + skew:
        raise LateScanRefused("scanned_at_future", "scanned_at", problem)  # a stable code
    if problem:
        raise BadInput("scanned_at", problem)
    return data.scanned_at


def find_record(session: Session, client_key: str) -> Movement | Refusal | None:
    """Return the movement or refusal written for this idempotency key, if any."""
    for model in (Movement, Refusal):
        record = session.scalars(select(model).where(model.client_key == client_key)).first()
        if record is not None:
            return record
    return None


def has_later_movement(conn: Connection, person_id: int, occurred_at: datetime) -> bool:
    """Tell whether the person crossed after this late scan (its presence then stays as it is)."""
    stmt = select(func.max(Movement.occurred_at)).where(Movement.person_id == person_id)
    latest = conn.scalar(stmt)
    return latest is not None and latest > occurred_at


def was_aboard_at(conn: Connection, person_id: int, at: datetime) -> bool:
    """Tell whether the person's last crossing at or before `at` brought them aboard."""
    stmt = (
        select(Movement.direction)
        .where(Movement.person_id == person_id, Movement.occurred_at <= at)
        .order_by(Movement.occurred_at.desc(), Movement.id.desc())
        .limit(1)
    )
    return conn.scalar(stmt) == Direction.BOARD.value


def stored_decision(record: Movement | Refusal) -> Decision:
    """Rebuild the decision a stored record stands for, reasons in the words first given."""
    direction = Direction(record.direction)
    if isinstance(record, Movement):
        warnings = tuple(_reason(c, Severity.WARNING) for c in record.flags.split(",") if c)
        return Decision(Verdict.ALLOWED, direction, warnings, escort_id=record.escort_id)
    first = Reason(record.reason_code, record.reason_message)
    rest = [_reason(c, Severity.REFUSAL) for c in record.reason_codes.split(",")[1:] if c]
    return Decision(Verdict.REFUSED, direction, (first, *rest))


def _catalogue() -> dict[tuple[str, Severity], Reason]:
    found = [
        r for mod in (reasons, levels, offline) for r in vars(mod).values() if isinstance(r, Reason)
    ]
    return {(r.code, r.severity): r for r in found}


_CATALOGUE = _catalogue()


def _reason(code: str, severity: Severity) -> Reason:
    """Return the catalogue's words for a stored code (either severity), or the code itself."""
    other = Severity.REFUSAL if severity is Severity.WARNING else Severity.WARNING
    return _CATALOGUE.get((code, severity)) or _CATALOGUE.get((code, other)) or Reason(code, code)
