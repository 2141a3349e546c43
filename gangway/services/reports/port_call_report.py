"""The end-of-port-call report: who may read it, and everything its three forms are drawn from.

The rows come from rows.py (Core SELECTs, no ORM object per row); the sign-off lives in
sign_off.py and the copy stored at close in snapshots.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from gangway.db.models import PortCall
from gangway.domain.accounts.permissions import holds
from gangway.domain.records.report_hash import report_hash
from gangway.domain.reporting import port_call_report as core
from gangway.domain.reporting.access_log import pfso_may_see
from gangway.domain.reporting.security_report import StsFact
from gangway.render.reports import csv_zip
from gangway.services.audit.head import ChainHead, chain_head
from gangway.services.reports import rows
from gangway.services.ship.ship import current_ship
from gangway.services.ship.sts import sts_during


@dataclass(frozen=True)
class CallInfo:
    """The port call as the report's header shows it."""

    id: int
    ship_name: str
    imo_number: str | None
    port_name: str
    unlocode: str | None
    facility_name: str | None
    berth: str | None
    arrived_at: datetime
    departed_at: datetime | None
    pfso_name: str | None
    pfso_contact: str | None
    timezone: str = "UTC"  # IANA name: the report adds port local time to refusals


@dataclass(frozen=True)
class Report:
    """Everything the three forms of the report (HTML, PDF, CSV zip) are drawn from."""

    call: CallInfo
    movements: list[core.MovementRow]
    refusals: list[core.RefusalRow]
    follow_ups: list[core.FollowUpRow]
    levels: list[core.LevelRow]
    declarations: list[core.DeclarationRow]
    summary: core.Summary
    per_hour: list[tuple[datetime, int, int]]
    on_board: list[tuple[datetime, int]]
    content_hash: str
    # Names for people to read, by refusal and follow-up id: outside the records hash
    refusal_parties: dict[int, core.RefusalParty] = field(default_factory=dict)
    follow_up_parties: dict[int, core.FollowUpParty] = field(default_factory=dict)
    # The audit chain's last entry when the report was made: a copy kept off the ship anchors it
    chain_head: ChainHead | None = None
    # Ship-to-ship activities during the call (issue 19); chained rows of their own, outside the
    # records hash so that reports signed before they were kept keep their hash.
    sts: list[StsFact] = field(default_factory=list)


def may_read(user, call: PortCall) -> bool:
    """Tell whether a user may read a call's report: SSO and master all, a PFSO their facility's."""
    if not holds(user.role, "reports.read"):
        return False
    if not holds(user.role, "port_calls.facility_only"):
        return True
    return pfso_may_see(
        call.facility_name, call.unlocode, user.facility_name, user.facility_unlocode
    )


def call_info(session: Session, call: PortCall) -> CallInfo:
    """Return the report header's facts about a port call and the ship."""
    ship = current_ship(session)
    return CallInfo(
        call.id, ship.name if ship else "", ship.imo_number if ship else None, call.port_name,
        call.unlocode, call.facility_name, call.berth, call.arrived_at, call.departed_at,
        call.pfso_name, call.pfso_contact, call.timezone or "UTC",
    )  # fmt: skip


def build_report(session: Session, call_id: int) -> Report | None:
    """Load a port call's records and return its report (None if there is no such call)."""
    call = session.get(PortCall, call_id)
    if call is None:
        return None
    with rows.gc_paused():
        return _build(session, call)


def _build(session: Session, call: PortCall) -> Report:
    call_id, start, end = call.id, call.arrived_at, call.departed_at
    movements = rows.movement_rows(session, call_id)
    refusals = rows.refusal_rows(session, call_id)
    follow_ups = rows.follow_up_rows(session, call_id)
    levels = rows.level_rows(session, call_id)
    declarations = rows.declaration_rows(session, call_id)
    aboard_at_start = rows.aboard_at(session, start)
    summary = core.summarise(
        movements,
        refusals,
        aboard_at_start=aboard_at_start,
        visitors_aboard_at_departure=rows.aboard_at(session, end, core.VISITOR_KINDS),
        badges=rows.badge_times(session, start),
        start=start,
        end=end,
    )
    return Report(
        call_info(session, call),
        movements,
        refusals,
        follow_ups,
        levels,
        declarations,
        summary,
        core.movements_per_hour(movements),
        core.on_board_series(movements, aboard_at_start, start),
        report_hash(movements, refusals, follow_ups, levels, declarations),
        rows.refusal_parties(session, call_id),
        rows.follow_up_parties(session, call_id),
        chain_head(session),
        sts_during(session, start, end),
    )


def csv_zip_for_call(session: Session, call_id: int) -> bytes:
    """Return the zip of a call's records, streaming the movements from the database."""
    out = io.BytesIO()
    with rows.gc_paused():
        csv_zip.write_csv_zip(
            out,
            rows.raw_movements(session, call_id),
            rows.refusal_rows(session, call_id),
            rows.follow_up_rows(session, call_id),
            rows.level_rows(session, call_id),
            rows.declaration_rows(session, call_id),
        )
    return out.getvalue()
