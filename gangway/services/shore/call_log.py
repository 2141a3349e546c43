"""Any port call's access log ashore (issue 17 point 4): the CSO reads every ship's calls, the
PFSO ashore those at their facility; rows as on board, read from shore_record.

Rule sources: ISPS A/10.1 (the ship's records of security activities) and B/4.41 (a PFSO sees
only the calls at their facility, masked as on board: domain/reporting/access_log.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreRecord, ShoreShip, User
from gangway.domain.accounts.permissions import holds
from gangway.domain.reporting.access_log import ALLOWED, REFUSED, LogFilters
from gangway.domain.reporting.log_rows import LogRow, RowsPage, page_of, sorted_matches
from gangway.services.shore.facility import Call, call_of, may_see_call, person_name, record_time

R = ShoreRecord
_NEVER = datetime.min.replace(tzinfo=UTC)


def fleet_ship(session: Session, imo: str) -> ShoreShip | None:
    """Return the ship of the fleet with this IMO number (None: no such ship)."""
    return session.scalar(select(ShoreShip).where(ShoreShip.imo == imo))


def may_read_call(user: User, call: dict) -> bool:
    """Tell whether a user reads a call's log and report: the CSO any, a PFSO their facility's."""
    if not holds(user.role, "shore_log.read"):
        return False
    return not holds(user.role, "port_calls.facility_only") or may_see_call(call, user)


def ship_calls(session: Session, user: User, ship: ShoreShip) -> list[Call]:
    """Return the ship's port calls the user may read, the latest arrival first."""
    contents = session.scalars(
        select(R.content).where(
            R.ship_id == ship.id, R.record_table == "port_call", R.port_call_id.is_not(None)
        )
    )
    calls = [
        call_of(ship.id, c["id"], c, ship.imo, ship.name)
        for c in contents
        if type(c.get("id")) is int and may_read_call(user, c)
    ]
    calls.sort(key=lambda c: (c.arrived_at or _NEVER, c.call_id), reverse=True)
    return calls


def ship_call(session: Session, user: User, ship: ShoreShip, call_id: int) -> Call | None:
    """Return one call of the ship if the user may read it, else None (as if there were none)."""
    content = _call_content(session, ship, call_id)
    if content is None or not may_read_call(user, content):
        return None
    return call_of(ship.id, call_id, content, ship.imo, ship.name)


def find_call(session: Session, ship: ShoreShip, call_id: int) -> Call | None:
    """Return one call of the ship, whoever reads (a job checked by the request that made it)."""
    content = _call_content(session, ship, call_id)
    return None if content is None else call_of(ship.id, call_id, content, ship.imo, ship.name)


def call_record(session: Session, call: Call) -> dict:
    """Return the call's record as the ship sent it: its columns, times read as times."""
    content = contents_by_id(session, call.ship_id, "port_call", {call.call_id})[call.call_id]
    return {k: record_time(v, None) if k.endswith("_at") else v for k, v in content.items()}


def _call_content(session: Session, ship: ShoreShip, call_id: int) -> dict | None:
    return session.scalar(
        select(R.content).where(
            R.ship_id == ship.id, R.record_table == "port_call", R.record_id == call_id
        )
    )


def call_log(session: Session, call: Call, filters: LogFilters) -> RowsPage:
    """Return one page of the call's filtered log, rows shaped as on board (before masking)."""
    return page_of(log_rows(session, call), filters)


def all_log_rows(session: Session, call: Call, filters: LogFilters) -> list[LogRow]:
    """Return every row of the call's filtered log (all pages), in the log's order."""
    return sorted_matches(log_rows(session, call), filters)


def log_rows(session: Session, call: Call) -> list[LogRow]:
    """Return every movement and refusal of the call as log rows."""
    records = session.execute(
        select(R.record_table, R.content).where(
            R.ship_id == call.ship_id,
            R.record_table.in_(("movement", "refusal")),
            R.port_call_id == call.call_id,
        )
    ).all()
    points = contents_by_id(session, call.ship_id, "access_point")
    unnamed = {c.get("person_id") for _, c in records if c.get("person_family_name") is None}
    unnamed |= {c.get("escort_id") for t, c in records if t == "movement" and c.get("escort_id")}
    people = contents_by_id(session, call.ship_id, "person", unnamed - {None})
    return [_row(t, c, call.call_id, points, people) for t, c in records]


def contents_by_id(session: Session, ship_id: int, table: str, ids=None) -> dict[int, dict]:
    """Return a ship's records of one table (or only these ids) by the ship's own id."""
    stmt = select(R.record_id, R.content).where(R.ship_id == ship_id, R.record_table == table)
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(R.record_id.in_(sorted(i for i in ids if type(i) is int)))
    return dict(session.execute(stmt).all())


def _row(table: str, c: dict, call_id: int, points: dict, people: dict) -> LogRow:
    """Return a record as a log row: the person as the record stored them, else as now."""
    person = people.get(c.get("person_id")) or {}
    point = points.get(c.get("access_point_id")) or {}
    refused = table == "refusal"
    copied = c.get("person_family_name") is not None
    return LogRow(
        id=c.get("id") or 0,
        occurred_at=record_time(c.get("occurred_at")),
        direction=c.get("direction") or "",
        kind=c.get("person_kind") if copied else person.get("kind"),
        name=_recorded(c, "person_family_name", "person_given_names", person) or None,
        company=c.get("person_company") if copied else person.get("company"),
        purpose=c.get("purpose"),
        access_point_code=point.get("code") or "",
        access_point=point.get("name") or "",
        method=c.get("method") or "",
        escort=None if refused else _escort(c, people) or None,
        outcome=REFUSED if refused else ALLOWED,
        reason=c.get("reason_message") if refused else None,
        document_number=c.get("person_document_number")
        if copied
        else person.get("document_number"),
        port_call_id=call_id,
    )


def _recorded(c: dict, family: str, given: str, person: dict) -> str:
    if c.get(family) is not None:
        return person_name(c.get(family), c.get(given))
    return person_name(person.get("family_name"), person.get("given_names"))


def _escort(c: dict, people: dict) -> str:
    escort = people.get(c.get("escort_id")) or {}
    return _recorded(c, "escort_family_name", "escort_given_names", escort)
