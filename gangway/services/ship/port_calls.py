"""Port calls: the SSO opens one on arrival and closes it on departure (one open at a time)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from gangway.db.models import Movement, Person, PortCall, User
from gangway.domain.accounts.permissions import holds
from gangway.domain.reporting.access_log import pfso_may_see
from gangway.domain.reporting.port_call_report import VISITOR_KINDS
from gangway.domain.ship.port_calls import port_call_problem
from gangway.services.after_commit import unit_of_work
from gangway.services.errors import BadInput
from gangway.services.reports.snapshots import request_snapshot
from gangway.services.reports.stored_copies import generate_when_committed
from gangway.services.ship.ship import current_port_call
from gangway.services.ship.voyages import end_voyage, start_voyage

LIMITS = {"port_name": 120, "facility_name": 120, "berth": 120, "pfso_name": 120}


class StillAboard(Exception):
    """A port call was not closed: visitors, contractors or authorities are still recorded aboard
    and the SSO has not confirmed the departure with them (or more boarded since they looked)."""

    def __init__(self, call: PortCall, persons: list[Person], *, looked: bool):
        count = len(persons)
        who = "person is" if count == 1 else "people are"
        super().__init__(
            f"{count} {who} still recorded aboard who do not sail with the ship (visitors, "
            f"contractors, authorities). Check they have left before recording the departure."
        )
        self.message = str(self)
        self.call, self.persons = call, persons
        self.looked = looked  # the SSO confirmed a list that has changed since


def open_port_call(
    session: Session,
    *,
    port_name: str | None,
    unlocode: str | None,
    facility_name: str | None,
    pfso_name: str | None,
    pfso_contact: str | None,
    berth: str | None,
    arrived_at: datetime | None,
    departs_at: datetime | None,
    port_security_level: int | None,
    timezone: str | None,
    user: User,
    now: datetime,
    share_documents: bool = False,
) -> PortCall:
    """Open a port call for the ship's arrival; `user` is the SSO opening it.

    :raises BadInput: a bad value, or another port call is still open.
    """
    texts = {"port_name": port_name, "facility_name": facility_name, "berth": berth}
    texts |= {"pfso_name": pfso_name, "pfso_contact": pfso_contact}
    for name, value in texts.items():
        if value and len(value) > LIMITS.get(name, 200):
            raise BadInput(name, f"{name.replace('_', ' ').capitalize()} is too long.")
    unlocode = (unlocode or "").strip().upper() or None
    timezone = (timezone or "").strip() or "UTC"
    arrived_at = arrived_at or now
    problem = port_call_problem(
        port_name=(port_name or "").strip(),
        unlocode=unlocode,
        timezone=timezone,
        arrived_at=arrived_at,
        departs_at=departs_at,
        port_security_level=port_security_level,
    )
    if problem:
        raise BadInput(*problem)
    open_call = current_port_call(session)
    if open_call is not None:
        raise BadInput(
            "port_name", f"Close the port call at {open_call.port_name} before opening another."
        )
    call = PortCall(
        port_name=port_name.strip(),
        unlocode=unlocode,
        facility_name=facility_name or None,
        pfso_name=pfso_name or None,
        pfso_contact=pfso_contact or None,
        berth=berth or None,
        arrived_at=arrived_at,
        departs_at=departs_at,
        port_security_level=port_security_level,
        timezone=timezone,
        share_documents=share_documents,
    )
    session.add(call)
    session.flush()  # its id, for the voyage it ends
    end_voyage(session, call)
    session.commit()
    return call


def close_port_call(
    session: Session,
    call_id: int,
    *,
    departed_at: datetime | None,
    now: datetime,
    confirm_aboard: bool | Collection[int] = False,
) -> PortCall:
    """Record the ship's departure from a port call (now if no time is given).

    The same commit adds a pending copy of the end-of-port-call report (ISPS A/10.1 records),
    made in the background once the close is committed.
    :param confirm_aboard: the SSO's confirmation that visitors, contractors and authorities
        still recorded aboard may be: True for whoever it is, or the person ids the SSO saw.
    :raises BadInput: no such call, already closed, or departure before arrival.
    :raises StillAboard: such persons are aboard and not confirmed; nothing is written.
    """
    call = session.get(PortCall, call_id)
    if call is None:
        raise BadInput("port_call", "No such port call.")
    if call.departed_at is not None:
        raise BadInput("port_call", f"The port call at {call.port_name} is already closed.")
    departed_at = departed_at or now
    if departed_at < call.arrived_at:
        raise BadInput("departed_at", "The departure must not be before the arrival.")
    aboard = visitors_aboard(session)
    seen = confirm_aboard if not isinstance(confirm_aboard, bool) else ()
    if aboard and confirm_aboard is not True and any(p.id not in seen for p in aboard):
        raise StillAboard(call, aboard, looked=bool(seen))
    with unit_of_work(session):
        call.departed_at = departed_at
        start_voyage(session, call)  # records at sea from now on belong to it
        snapshot = request_snapshot(session, call.id, now=now)
        generate_when_committed(session, snapshot)
    return call


def visitors_aboard(session: Session) -> list[Person]:
    """Return the visitors, contractors and authorities recorded aboard, longest aboard first."""
    stmt = (
        select(Person)
        .join(Movement, Movement.id == Person.aboard_movement_id)
        .where(Person.kind.in_(sorted(VISITOR_KINDS)))
        .options(contains_eager(Person.aboard_movement).joinedload(Movement.access_point))
        .order_by(Movement.occurred_at, Person.id)
    )
    return list(session.scalars(stmt).unique())


def set_document_sharing(session: Session, call_id: int, *, share: bool) -> PortCall:
    """Show (share) or mask the call's document numbers for the PFSO: the SSO's consent (B/4.41).

    The change is chained as "port_call.document_sharing_changed"; setting the same value
    again writes nothing.
    :raises BadInput: no such call.
    """
    call = session.get(PortCall, call_id)
    if call is None:
        raise BadInput("port_call", "No such port call.")
    if call.share_documents != share:
        call.share_documents = share
        session.commit()
    return call


def list_port_calls(session: Session, limit: int = 50) -> list[PortCall]:
    """Return the latest port calls, newest arrival first."""
    stmt = select(PortCall).order_by(PortCall.arrived_at.desc(), PortCall.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def port_calls_for(session: Session, user: User, limit: int = 200) -> list[PortCall]:
    """Return the port calls a user may read: a PFSO only those at their own facility."""
    calls = list_port_calls(session, limit)
    if not holds(user.role, "port_calls.facility_only"):
        return calls
    return [c for c in calls if may_read_call(c, user)]


def may_read_call(call: PortCall, user: User) -> bool:
    """Tell whether a user may read a port call's records (a PFSO: their facility only)."""
    if not holds(user.role, "port_calls.facility_only"):
        return True
    return pfso_may_see(
        call.facility_name, call.unlocode, user.facility_name, user.facility_unlocode
    )
