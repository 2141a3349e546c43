"""The pre-arrival Security Report (SOLAS XI-2/9.2.1; MSC.1/Circ.1305) from the records.

Loads the plain facts (the last ten calls, the levels and plan revisions in force during them,
their Declarations of Security, ship-to-ship activities, the particulars), calls the pure core
once and returns the form in the circular's numbering, signed by whoever asked (an SSO or the
master) with the chain head it was made at. Reads only: nothing is written.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import Declaration, LevelChange, PlanRevision, PortCall
from gangway.domain.reporting.security_report import (
    TEN_CALLS,
    CallFacts,
    DeclarationFact,
    LevelFact,
    PlanFact,
    StsFact,
    last_calls,
)
from gangway.domain.reporting.security_report_form import Arrival, numbered, security_report
from gangway.domain.ship.plan import MEASURES
from gangway.services.audit.head import chain_head
from gangway.services.errors import BadInput
from gangway.services.ship.particulars import current_particulars, particulars_facts
from gangway.services.ship.ship import current_ship
from gangway.services.ship.sts import sts_activities, sts_facts

FORM = "MSC.1/Circ.1305 standard data set of security-related information (Security Report)"
UNLOCODE = re.compile(r"[A-Za-z]{2}[A-Za-z2-9]{3}")
PLAN_REST = tuple(m for m in MEASURES if not m.endswith("embarkation_suspended"))
LIMITS = {"facility": 120, "purpose": 200, "other": 2000}


def make_security_report(
    session: Session,
    *,
    unlocode: str | None,
    facility: str | None,
    eta: datetime | None,
    purpose: str | None,
    other: str | None,
    user,
    now: datetime,
) -> dict:
    """Return the Security Report for the next port as JSON values, in the circular's order.

    :raises BadInput: no valid UN/LOCODE, ETA or purpose, or a text too long.
    """
    arrival = _arrival(unlocode, facility, eta, purpose, other)
    calls = _calls(session)
    since = min((c.arrived_at for c in calls), default=None)
    ship = current_ship(session)
    report = security_report(
        particulars_facts(current_particulars(session)),
        arrival,
        current_level=ship.security_level if ship else 1,
        calls=calls,
        levels=_levels(session, since),
        declarations=_declarations(session, [c.id for c in calls]),
        plans=_plans(session, since),
        sts=_sts(session),
        other_information=(other or "").strip(),
        now=now,
    )
    head = chain_head(session)
    return {
        "form": FORM,
        "made_at": now.isoformat(),
        "signed_by": {"name": user.display_name, "role": user.role, "signed_at": now.isoformat()},
        "chain_head": {"seq": head.seq, "entry_hash": head.entry_hash, "short": head.short}
        if head
        else None,
        "sections": numbered(report),
    }


def last_ten_calls(session: Session, *, now: datetime) -> list:
    """Return 3.3 alone: the last ten calls with the level and measures (the inspector's page)."""
    calls = _calls(session)
    since = min((c.arrived_at for c in calls), default=None)
    declarations = _declarations(session, [c.id for c in calls])
    return last_calls(calls, _levels(session, since), declarations, _plans(session, since), now=now)


def _arrival(unlocode, facility, eta, purpose, other) -> Arrival:
    code = unlocode or ""
    if not UNLOCODE.fullmatch(code):
        raise BadInput("unlocode", "Give the port of arrival's UN/LOCODE, five letters: NLRTM.")
    if eta is None:
        raise BadInput("eta", "Give the expected time of arrival (UTC), as 2026-12-08T06:00.")
    texts = {"facility": facility, "purpose": purpose, "other": other}
    for name, value in texts.items():
        if value and len(value) > LIMITS[name]:
            raise BadInput(name, f"Keep it under {LIMITS[name]} characters.")
    if not (purpose or "").strip():
        raise BadInput("purpose", "Give the primary purpose of the call.")
    return Arrival(code.upper(), (facility or "").strip() or None, eta, purpose.strip())


def _calls(session: Session) -> list[CallFacts]:
    stmt = select(PortCall).order_by(PortCall.arrived_at.desc(), PortCall.id.desc())
    return [
        CallFacts(
            c.id,
            c.port_name,
            c.unlocode,
            c.facility_name,
            c.arrived_at,
            c.departed_at,
            c.port_security_level,
            c.timezone or "UTC",
        )
        for c in session.scalars(stmt.limit(TEN_CALLS))
    ]


def _in_period(session: Session, model, column, since: datetime | None) -> list:
    """Return the rows set during the period, after the one in force at its start."""
    if since is None:
        return list(session.scalars(select(model).order_by(column, model.id)))
    before = select(model).where(column <= since).order_by(column.desc(), model.id.desc())
    during = select(model).where(column > since).order_by(column, model.id)
    first = session.scalars(before.limit(1)).first()
    return [*([first] if first else []), *session.scalars(during)]


def _levels(session: Session, since) -> list[LevelFact]:
    rows = _in_period(session, LevelChange, LevelChange.recorded_at, since)
    return [LevelFact(r.recorded_at, r.level) for r in rows]


def _plans(session: Session, since) -> list[PlanFact]:
    rows = _in_period(session, PlanRevision, PlanRevision.recorded_at, since)
    return [
        PlanFact(
            r.recorded_at,
            r.embarkation_suspended,
            r.disembarkation_suspended,
            (*(getattr(r, m) for m in PLAN_REST), r.open_points),
        )
        for r in rows
    ]


def _declarations(session: Session, call_ids: list[int]) -> list[DeclarationFact]:
    stmt = select(Declaration).where(Declaration.port_call_id.in_(call_ids))
    return [
        DeclarationFact(d.port_call_id, d.level, d.signed_at, d.port_facility)
        for d in session.scalars(stmt)
    ]


def _sts(session: Session) -> list[StsFact]:
    return sts_facts(sts_activities(session))
