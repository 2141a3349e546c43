"""The ship's particulars and certificate (MSC.1/Circ.1305 1.1-1.11, 3.1): kept once, chained.

Each save is a new row (append-only, chained as ship_particulars.recorded); the newest is in
force. The ship's name, IMO number and flag on the ship record follow it, so that the cards,
reports and the title bar say what the Security Report says.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShipParticulars, User
from gangway.domain.accounts.permissions import holds
from gangway.domain.reporting.security_report import CertificateAlert, certificate_alert
from gangway.domain.reporting.security_report_form import Particulars
from gangway.domain.ship.particulars import TEXTS, check_particulars, parse_day
from gangway.services.after_commit import unit_of_work
from gangway.services.ship.security_level import raise_first
from gangway.services.ship.ship import current_ship

FIELDS = tuple(TEXTS)


def current_particulars(session: Session) -> ShipParticulars | None:
    """Return the particulars in force: the newest saved."""
    stmt = select(ShipParticulars).order_by(ShipParticulars.id.desc()).limit(1)
    return session.scalars(stmt).first()


def record_particulars(
    session: Session,
    values: dict[str, str | None],
    *,
    ssp_approved_on_board: bool,
    user: User,
    now: datetime,
) -> ShipParticulars:
    """Save the particulars as a new chained row and bring the ship record in line; commit.

    :raises BadInput: the first problem check_particulars finds.
    """
    texts = {name: (values.get(name) or "").strip() or None for name in FIELDS}
    raise_first(check_particulars(texts))
    row = ShipParticulars(
        **{
            **texts,
            "gross_tonnage": int(texts["gross_tonnage"]),
            "certificate_expires_on": parse_day(texts["certificate_expires_on"]),
        },
        ssp_approved_on_board=ssp_approved_on_board,
        recorded_at=now,
        recorded_by_id=user.id,
    )
    with unit_of_work(session):
        session.add(row)
        ship = current_ship(session)
        if ship is not None:  # a change of the ship row is chained as ship.changed
            ship.name, ship.imo_number, ship.flag_state = row.name, row.imo_number, row.flag_state
    return row


def particulars_facts(row: ShipParticulars | None) -> Particulars:
    """Return the particulars as the report's plain value (all missing before the first save)."""
    if row is None:
        return Particulars()
    return Particulars(**{name: getattr(row, name) for name in Particulars.__dataclass_fields__})


def certificate_alert_for(session: Session, user, today: date) -> CertificateAlert | None:
    """Return the alert the SSO and master see on every page while the ISSC expires within 30
    days or has expired; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not holds(user.role, "certificate.alert"):
        return None
    expires_on = session.scalar(
        select(ShipParticulars.certificate_expires_on).order_by(ShipParticulars.id.desc()).limit(1)
    )
    return certificate_alert(expires_on, today)
