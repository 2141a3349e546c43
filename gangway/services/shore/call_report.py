"""A port call's end-of-call report ashore (issue 17 point 4): the same report as on board, its
rows read from shore_record instead of the ship's tables, so its records hash is the ship's.

Rule source: SOLAS XI-2/9.2.1 and ISPS A/10.1 (domain/reporting/port_call_report.py). Ashore
the report has no sign-off, no stored copy and no mail: those are the ship's acts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreRecord, ShoreShip
from gangway.domain.records.report_hash import report_hash
from gangway.domain.reporting import port_call_report as core
from gangway.domain.reporting.security_report import StsFact
from gangway.services.audit.head import ChainHead
from gangway.services.reports.port_call_report import CallInfo, Report
from gangway.services.shore.call_log import contents_by_id, find_call, fleet_ship
from gangway.services.shore.call_report_rows import (
    declaration_row,
    level_row,
    movement_row,
    refusal_party,
    refusal_row,
)
from gangway.services.shore.facility import Call, record_time

R = ShoreRecord
IN_CALL = ("movement", "refusal", "level_change", "declaration", "report_sign_off")


@dataclass(frozen=True)
class SignedOff:
    """The SSO's latest sign-off of the call on board, as it reached the shore."""

    signed_by_name: str
    signed_at: datetime | None
    content_hash: str


def build_call_report(session: Session, ship: ShoreShip, call: Call) -> Report:
    """Return the call's report from the records the ship sent."""
    found: dict[str, list[dict]] = {table: [] for table in IN_CALL}
    for table, content in session.execute(
        select(R.record_table, R.content).where(
            R.ship_id == ship.id, R.record_table.in_(IN_CALL), R.port_call_id == call.call_id
        )
    ):
        found[table].append(content)
    points = contents_by_id(session, ship.id, "access_point")
    points = {i: c.get("name") or "" for i, c in points.items()}
    unnamed = {c.get("person_id") for t in ("movement", "refusal") for c in found[t]
               if c.get("person_family_name") is None}  # fmt: skip
    people = contents_by_id(session, ship.id, "person", unnamed - {None})
    movements = sorted((movement_row(c, points, people) for c in found["movement"]), key=_by_time)
    refusals = sorted((refusal_row(c) for c in found["refusal"]), key=_by_time)
    follow_ups = _follow_ups(session, ship.id, {r.id for r in refusals})
    levels = sorted((level_row(c) for c in found["level_change"]), key=lambda r: r.notified_at)
    declarations = sorted(map(declaration_row, found["declaration"]), key=lambda r: r.valid_from)
    start, end = call.arrived_at or datetime.min.replace(tzinfo=UTC), call.departed_at
    at_start = aboard_at(session, ship.id, start)
    summary = core.summarise(
        movements,
        refusals,
        aboard_at_start=at_start,
        visitors_aboard_at_departure=aboard_at(session, ship.id, end, core.VISITOR_KINDS),
        badges=_badge_times(session, ship.id, start),
        start=start,
        end=end,
    )
    return Report(
        _info(session, ship, call),
        movements,
        refusals,
        [f for f, _ in follow_ups],
        levels,
        declarations,
        summary,
        core.movements_per_hour(movements),
        core.on_board_series(movements, at_start, start),
        report_hash(movements, refusals, [f for f, _ in follow_ups], levels, declarations),
        {r["id"]: refusal_party(r, points, people) for r in found["refusal"]},
        {f.id: party for f, party in follow_ups},
        ChainHead(ship.head_seq, ship.head_hash, ship.head_recorded_at) if ship.head_seq else None,
        _sts(session, ship.id, start, end),
    )


def report_of(session: Session, imo: str, call_id: int) -> tuple[Report, tuple] | None:
    """Return a ship's call's report and its signature state (None: no such ship or call)."""
    ship = fleet_ship(session, imo)
    call = find_call(session, ship, call_id) if ship else None
    if call is None:
        return None
    report = build_call_report(session, ship, call)
    return report, signature_state(session, ship, call, report)


def latest_sign_off(session: Session, ship: ShoreShip, call: Call) -> SignedOff | None:
    """Return the SSO's latest sign-off of the call as it reached the shore (None: none)."""
    signed = session.scalars(
        select(R.content)
        .where(R.ship_id == ship.id, R.record_table == "report_sign_off")
        .where(R.port_call_id == call.call_id)
        .order_by(R.record_id.desc())
        .limit(1)
    ).first()
    if not signed:
        return None
    at = record_time(signed.get("signed_at"), None)
    return SignedOff(signed.get("signed_by_name") or "", at, signed.get("content_hash"))


def signature_state(session: Session, ship: ShoreShip, call: Call, report: Report):
    """Return (latest sign-off sent, records hash now, changed since signed) as on board."""
    sign_off = latest_sign_off(session, ship, call)
    changed = bool(sign_off and sign_off.content_hash != report.content_hash)
    return sign_off, report.content_hash, changed


def aboard_at(session: Session, ship_id: int, when: datetime | None, kinds=None) -> int:
    """Count persons whose last movement before `when` (ever, when None) was a boarding."""
    c = R.content
    latest = select(func.max(R.record_id).label("id")).where(
        R.ship_id == ship_id, R.record_table == "movement"
    )
    if when is not None:  # times in content are ISO text of one form: they sort as times
        latest = latest.where(c["occurred_at"].as_string() < _iso(when))
    latest = latest.group_by(c["person_id"].as_integer()).subquery()
    query = (
        select(func.count())
        .select_from(R)
        .join(latest, and_(R.record_id == latest.c.id))
        .where(R.ship_id == ship_id, R.record_table == "movement")
        .where(c["direction"].as_string() == "board")
    )
    if kinds:  # the kind the movement recorded
        query = query.where(c["person_kind"].as_string().in_(sorted(kinds)))
    return session.scalar(query) or 0


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _by_time(row) -> tuple:
    return row.occurred_at, row.id


def _follow_ups(session: Session, ship_id: int, refusal_ids: set[int]) -> list[tuple]:
    """Return (row, party) of the follow-ups of these refusals, by id; who acknowledged stays
    on board (the shore keeps no ship's users)."""
    if not refusal_ids:
        return []
    found = contents_by_id(session, ship_id, "refusal_follow_up").values()
    t = record_time
    return [
        (
            core.FollowUpRow(
                c["id"],
                c["refusal_id"],
                t(c.get("acknowledged_at")),
                c.get("description"),
                c.get("response"),
                t(c.get("reported_to_cso_at"), None),
                t(c.get("reported_to_pfso_at"), None),
                t(c.get("reported_to_authorities_at"), None),
            ),  # fmt: skip
            core.FollowUpParty(
                c["id"],
                None,
                c.get("location_in_port"),
                c.get("location_on_vessel"),
                c.get("authorities"),
            ),  # fmt: skip
        )
        for c in sorted(found, key=lambda c: c["id"])
        if c.get("refusal_id") in refusal_ids
    ]


def _badge_times(session: Session, ship_id: int, start: datetime) -> list[tuple]:
    c, since = R.content, _iso(start)
    issued = session.scalars(
        select(R.content)
        .where(R.ship_id == ship_id, R.record_table == "badge")
        .where(or_(c["issued_at"].as_string() >= since, c["revoked_at"].as_string() >= since))
    )
    t = record_time
    return [(t(b.get("issued_at")), t(b.get("revoked_at"), None)) for b in issued]


def _sts(session: Session, ship_id: int, start: datetime, end: datetime | None) -> list[StsFact]:
    t, out = record_time, []
    for c in contents_by_id(session, ship_id, "sts_activity").values():
        started, ended = t(c.get("started_at")), t(c.get("ended_at"))
        if ended >= start and (end is None or started <= end):
            out.append(StsFact(
                c["id"], c.get("other_ship_name"), c.get("other_ship_imo"),
                c.get("other_ship_flag"), c.get("location"), started, ended, c.get("level"),
                c.get("measures"), bool(c.get("procedures_maintained")), c.get("declaration"),
            ))  # fmt: skip
    return sorted(out, key=lambda s: (s.started_at, s.id))


def _info(session: Session, ship: ShoreShip, call: Call) -> CallInfo:
    c = contents_by_id(session, ship.id, "port_call", {call.call_id}).get(call.call_id) or {}
    return CallInfo(
        call.call_id, ship.name, ship.imo, call.port_name, call.unlocode, call.facility_name,
        call.berth, call.arrived_at, call.departed_at, c.get("pfso_name"), c.get("pfso_contact"),
        call.timezone,
    )  # fmt: skip
