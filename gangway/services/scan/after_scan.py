"""What a recorded check sets off once it is committed: the SSO's alert, a revised report.

Both run in the app whose session committed the record (Flask-SQLAlchemy binds the session to
it), and neither may fail the check: it is recorded already.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gangway.background import mail
from gangway.db.types import utcnow
from gangway.services.after_commit import defer
from gangway.services.offline.late_checks import Differs
from gangway.services.reports.stored_copies import store_revision
from gangway.services.scan.writes import REFUSAL_TABLE, Written

log = logging.getLogger(__name__)


def alert_sso(refusal_id: int) -> None:
    """Queue the SSO's mail about a committed refusal (returns at once; mail off: nothing)."""
    if current_app.config.get("MAIL_SERVER"):
        mail.send_refusal_alert(current_app._get_current_object(), refusal_id)


def revise_stored_report(session: Session, call_id: int) -> None:
    """A late record reached this call: if it was closed, store a revised report.

    The record is committed already, so a failure here is logged and never fails the scan:
    the report page shows that the stored copy differs and offers the SSO a revision.
    """
    try:
        store_revision(session, call_id, now=utcnow())
    except SQLAlchemyError:
        session.rollback()
        log.exception("Could not ask for a revised report of port call %s", call_id)


def defer_follow_ons(session: Session, written: Written, late_call_id: int | None) -> None:
    """Defer the SSO's alert of a refusal (or of a late record that differs) and the revision
    of the late record's call."""
    if written.table == REFUSAL_TABLE:
        defer(session, alert_sso, written.id)
    if isinstance(written, Differs):
        defer(session, alert_sso, written.alert_id)
    if late_call_id is not None:
        defer(session, revise_stored_report, session, late_call_id)
