"""The PFSO ashore (issue 17 point 5): every port call at their facility of every ship of the
fleet, read-only, with the ship's masking rules; and the visitors a ship registered ahead for it.

Rule sources: ISPS A/10.1 and B/4.41 (a ship's records are disclosed to the port facility only
for calls there, document numbers masked unless the ship shares them: domain/reporting/
access_log.py decides both, as on board); B/9.11 and 33 CFR 104.200(b)(7) (the ship coordinates
expected visitors with the facility). Read from shore_record, the ingest's projection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gangway.db.models import ShoreRecord, ShoreShip, User
from gangway.domain.reporting.access_log import is_masked, mask_document, pfso_may_see
from gangway.domain.scan.reasons import label
from gangway.services.shore.projection import facility_key

CALLS_SHOWN = 200  # the newest calls at a facility; older ones are in the database
LOG_SHOWN = 1000  # movements and refusals of one call shown on its page
NOT_EXPECTED = frozenset({"crew", "passenger"})  # they come with the ship, not through the gate
R = ShoreRecord


@dataclass(frozen=True)
class Call:
    """A port call at the PFSO's facility, as the ship last sent it."""

    imo: str
    ship_name: str
    ship_id: int
    call_id: int
    port_name: str
    unlocode: str | None
    facility_name: str
    berth: str | None
    arrived_at: datetime | None
    departed_at: datetime | None
    timezone: str
    share_documents: bool

    @property
    def id(self) -> int:
        """Return the ship's id of the call (as a PortCall names it: the log's pages take both)."""
        return self.call_id


def facility_calls(session: Session, user: User, limit: int = CALLS_SHOWN) -> list[Call]:
    """Return the calls at the user's facility of every ship, the latest arrival first."""
    key = facility_key(user.facility_name)
    if key is None:  # an account without a facility sees nothing (as on board)
        return []
    rows = session.execute(
        select(R.ship_id, R.record_id, R.content, ShoreShip.imo, ShoreShip.name)
        .join(ShoreShip, ShoreShip.id == R.ship_id)
        .where(R.record_table == "port_call", R.facility_key == key)
    )
    calls = [call_of(*row) for row in rows if may_see_call(row.content, user)]
    calls.sort(key=lambda c: c.arrived_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return calls[:limit]


def facility_call(session: Session, user: User, imo: str, call_id: int) -> Call | None:
    """Return one call if it is at the user's facility, else None (as if there were none)."""
    row = session.execute(
        select(R.ship_id, R.record_id, R.content, ShoreShip.imo, ShoreShip.name)
        .join(ShoreShip, ShoreShip.id == R.ship_id)
        .where(ShoreShip.imo == imo, R.record_table == "port_call", R.record_id == call_id)
    ).first()
    return call_of(*row) if row is not None and may_see_call(row.content, user) else None


def call_log(session: Session, call: Call, limit: int = LOG_SHOWN) -> list[dict]:
    """Return the call's movements and refusals, latest first, as the PFSO may see them."""
    masked = is_masked("pfso", call.share_documents)
    rows = session.execute(
        select(R.record_table, R.record_id, R.content).where(
            R.ship_id == call.ship_id,
            R.record_table.in_(("movement", "refusal")),
            R.port_call_id == call.call_id,
        )
    )
    log = [_log_row(table, record_id, content, masked) for table, record_id, content in rows]
    log.sort(key=lambda r: r["occurred_at"] or datetime.min.replace(tzinfo=UTC), reverse=True)
    return log[:limit]


def expected_visitors(session: Session, user: User, now: datetime) -> list[dict]:
    """Return the visitors registered for calls at the facility not yet over: their badge still
    good, with whether they are aboard now, expected, or came and left."""
    open_calls = {
        (c.ship_id, c.call_id): c for c in facility_calls(session, user) if not c.departed_at
    }
    if not open_calls:
        return []
    ship_ids = {ship_id for ship_id, _ in open_calls}
    badges = session.execute(
        select(R.ship_id, R.content).where(
            R.ship_id.in_(ship_ids), R.record_table == "badge", R.port_call_id.is_not(None)
        )
    )
    out, crossed = [], {}
    for ship_id, badge in badges:
        call = open_calls.get((ship_id, badge.get("port_call_id")))
        if call is None or badge.get("revoked_at") or record_time(badge.get("valid_until")) <= now:
            continue
        person = _record(session, ship_id, "person", badge.get("person_id"))
        if person is None or person.get("kind") in NOT_EXPECTED:
            continue
        if call not in crossed:
            crossed[call] = _presence(session, call)
        out.append(_visitor(call, badge, person, crossed[call].get(badge.get("person_id"))))
    out.sort(key=lambda v: (v["valid_from"], v["name"]))
    return out


def _visitor(call: Call, badge: dict, person: dict, last_crossing: str | None) -> dict:
    document = person.get("document_number") or ""
    masked = is_masked("pfso", call.share_documents)
    return {
        "call": call,
        "name": person_name(person.get("family_name"), person.get("given_names")),
        "kind": person.get("kind"),
        "company": person.get("company"),
        "purpose": person.get("purpose"),
        "host": person.get("host"),
        "document_number": mask_document(document) if masked else document,
        "valid_from": record_time(badge.get("valid_from")),
        "valid_until": record_time(badge.get("valid_until")),
        "state": {"board": "on board", "depart": "left"}.get(last_crossing, "expected"),
    }


def _presence(session: Session, call: Call) -> dict[int, str]:
    """Return each person's last crossing in the call: "board" or "depart"."""
    moves = session.scalars(
        select(R.content).where(
            R.ship_id == call.ship_id,
            R.record_table == "movement",
            R.port_call_id == call.call_id,
        )
    )
    last = {}
    for m in sorted(moves, key=lambda m: (m.get("occurred_at") or "", m.get("id") or 0)):
        last[m.get("person_id")] = m.get("direction")
    return last


def _record(session: Session, ship_id: int, table: str, record_id) -> dict | None:
    if type(record_id) is not int:
        return None
    return session.scalar(
        select(R.content).where(
            R.ship_id == ship_id, R.record_table == table, R.record_id == record_id
        )
    )


def may_see_call(call: dict, user: User) -> bool:
    """Tell whether a call (its record's content) is at the user's facility."""
    return pfso_may_see(
        call.get("facility_name"),
        call.get("unlocode"),
        user.facility_name,
        user.facility_unlocode,
    )


def call_of(ship_id: int, record_id: int, c: dict, imo: str, ship_name: str) -> Call:
    """Return a port call's record content as a Call of that ship."""
    return Call(
        imo=imo,
        ship_name=ship_name,
        ship_id=ship_id,
        call_id=record_id,
        port_name=c.get("port_name") or "",
        unlocode=c.get("unlocode"),
        facility_name=c.get("facility_name") or "",
        berth=c.get("berth"),
        arrived_at=record_time(c.get("arrived_at"), None),
        departed_at=record_time(c.get("departed_at"), None),
        timezone=c.get("timezone") or "UTC",
        share_documents=bool(c.get("share_documents")),
    )


def _log_row(table: str, record_id: int, c: dict, masked: bool) -> dict:
    refused = table == "refusal"
    document = c.get("person_document_number") or ""
    return {
        "record_id": f"{'r' if refused else 'm'}-{record_id}",
        "occurred_at": record_time(c.get("occurred_at"), None),
        "outcome": "refused" if refused else "allowed",
        "direction": c.get("direction"),
        "kind": c.get("person_kind"),
        "name": person_name(c.get("person_family_name"), c.get("person_given_names")) or "Unknown",
        "company": c.get("person_company"),
        "purpose": c.get("purpose"),
        "reason": label(c.get("reason_code")) if refused else None,
        "document_number": mask_document(document) if masked else document,
    }


def person_name(family: object, given: object) -> str:
    """Return 'FAMILY, Given' from the parts a record has (empty when it has none)."""
    return ", ".join(str(part) for part in (family, given) if part)


_NEVER = datetime.min.replace(tzinfo=UTC)


def record_time(text: object, default: datetime | None = _NEVER) -> datetime | None:
    """Read a time from a record's content (ISO, UTC); `default` when missing or unreadable."""
    try:
        at = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        at = None
    if at is None:
        return default
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
