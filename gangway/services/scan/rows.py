"""The rows a scan reads, as plain tuples named like the models' attributes.

A scan reads an access point, a badge and its holder, perhaps an escort, and writes one
record: loading them as ORM entities cost ~0.3 ms each, more than deciding and writing the
scan. These are the same columns read once on the driver's cursor (gangway.db.prepared); the
facts builders (services/facts.py) and the presenters read them like the entities.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from gangway.db.models import AccessPoint, Badge, Person, PortCall
from gangway.db.prepared import Prepared
from gangway.domain.ship.plan import OPEN_COLUMNS, OpenLevels

P, B, A = Person.__table__.c, Badge.__table__.c, AccessPoint.__table__.c
C = PortCall.__table__.c
PERSON_COLUMNS = (
    P.id,
    P.kind,
    P.family_name,
    P.given_names,
    P.document_number,
    P.document_type,
    P.is_enabled,
    P.work_order_valid_from,
    P.work_order_valid_until,
    P.is_responder,
    P.aboard_movement_id,
    P.purpose,
    P.company,
    P.rank,
    P.photo_path,
)
BADGE_COLUMNS = (
    B.id,
    B.person_id,
    B.valid_from,
    B.valid_until,
    B.revoked_at,
    B.revoked_reason,
    B.port_call_id,
    C.departed_at.label("call_ended_at"),
    C.port_name.label("call_port"),
)


class PersonRow(NamedTuple):
    id: int
    kind: str
    family_name: str
    given_names: str
    document_number: str | None
    document_type: str | None
    is_enabled: bool
    work_order_valid_from: object
    work_order_valid_until: object
    is_responder: bool
    aboard_movement_id: int | None
    purpose: str | None
    company: str | None
    rank: str | None
    photo_path: str | None

    @property
    def display_name(self) -> str:
        return Person.display_name.fget(self)


class BadgeRow(NamedTuple):
    id: int
    person_id: int
    valid_from: object
    valid_until: object
    revoked_at: object
    revoked_reason: str | None
    port_call_id: int | None = None  # the port call a visitor's badge was issued for
    call_ended_at: object = None  # when that call was closed (None: still open, or no call)
    call_port: str | None = None


class PointRow(NamedTuple):
    id: int
    code: str
    name: str
    open_at_1: bool
    open_at_2: bool
    open_at_3: bool
    one_way: str | None  # "board" or "depart": the only direction it serves (B/9.14.5)

    @property
    def open_levels(self) -> OpenLevels:
        return OpenLevels.from_columns(self)


_PERSON = Prepared(select(*PERSON_COLUMNS).where(P.id == bindparam("person_id")))
_BADGE = Prepared(
    select(*BADGE_COLUMNS, *PERSON_COLUMNS)
    .join_from(Badge, Person, B.person_id == P.id)
    .outerjoin(PortCall, B.port_call_id == C.id)
    .where(B.id == bindparam("badge_id"))
)
_POINT = Prepared(
    select(A.id, A.code, A.name, *(A[name] for name in OPEN_COLUMNS), A.one_way).where(
        A.code == bindparam("code"), A.is_enabled
    )
)
# A check sent late may come from a point disabled since: it is then closed at every level
# (unless the plan of its time says otherwise), so the check is recorded, not turned away.
_ANY_POINT = Prepared(
    select(
        A.id,
        A.code,
        A.name,
        *(and_(A[name], A.is_enabled).label(name) for name in OPEN_COLUMNS),
        A.one_way,
    ).where(A.code == bindparam("code"))
)


def connection(session: Session):
    """Return the session's connection, with its pending ORM changes flushed (autoflush)."""
    session.flush()
    return session.connection()


def person_row(session: Session, person_id: int) -> PersonRow | None:
    row = _PERSON.first(connection(session), {"person_id": person_id})
    return PersonRow(*row) if row else None


def badge_row(session: Session, badge_id: int) -> tuple[BadgeRow, PersonRow] | tuple[None, None]:
    """Return a badge and its holder, or (None, None)."""
    row = _BADGE.first(connection(session), {"badge_id": badge_id})
    if row is None:
        return None, None
    n = len(BADGE_COLUMNS)
    return BadgeRow(*row[:n]), PersonRow(*row[n:])


def point_row(session: Session, code: str, *, enabled_only: bool = True) -> PointRow | None:
    """Return the enabled access point with this code (or a disabled one, closed)."""
    query = _POINT if enabled_only else _ANY_POINT
    row = query.first(connection(session), {"code": code})
    return PointRow(*row) if row else None
