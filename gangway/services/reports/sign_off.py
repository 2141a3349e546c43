"""The SSO's sign-off of a port call report: the records' hash then, compared with the hash now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ReportSignOff
from gangway.domain.accounts.permissions import holds
from gangway.services.errors import BadInput
from gangway.services.reports.port_call_report import Report, build_report


def latest_sign_off(session: Session, call_id: int) -> ReportSignOff | None:
    """Return the call's latest sign-off, if any."""
    return session.scalars(
        select(ReportSignOff)
        .where(ReportSignOff.port_call_id == call_id)
        .order_by(ReportSignOff.signed_at.desc(), ReportSignOff.id.desc())
        .limit(1)
    ).first()


def signature_state(
    session: Session, call_id: int, *, report: Report | None = None
) -> tuple[ReportSignOff | None, str | None, bool]:
    """Return the latest sign-off, the records' hash now, and whether they changed since."""
    report = report or build_report(session, call_id)
    current = report.content_hash if report else None
    latest = latest_sign_off(session, call_id)
    return latest, current, bool(latest and latest.content_hash != current)


def sign_off(
    session: Session, call_id: int, *, user, now: datetime, seen_hash: str | None = None
) -> ReportSignOff | None:
    """Record the SSO's sign-off of the report with the records' hash now (None: no such call).

    :param seen_hash: the hash on the page the SSO signed from: the records must still match it.
    :raises PermissionError: the user is not the SSO (only the SSO signs the ship's records).
    :raises BadInput: the records changed since that page was shown (nothing is signed).
    """
    if not holds(user.role, "reports.sign"):
        raise PermissionError("Only the SSO signs off the port call report.")
    report = build_report(session, call_id)
    if report is None:
        return None
    if seen_hash is not None and seen_hash != report.content_hash:
        raise BadInput(
            "content_hash",
            "The records changed since this page was shown: read the report again, then sign.",
        )
    record = ReportSignOff(
        port_call_id=call_id,
        signed_by_name=user.display_name,
        signed_by_id=user.id,
        signed_at=now,
        content_hash=report.content_hash,
    )
    session.add(record)
    session.commit()
    return record
