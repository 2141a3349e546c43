"""Record one scan at the gangway: the core decides, this module writes the movement or refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from ..domain import reasons
from ..domain.access import decide_scan
from ..domain.badges import MAX_CODE_LENGTH, InvalidBadge, is_badge_text, verify_badge
from ..domain.types import (
    BadgeClaims,
    BadgeFacts,
    Decision,
    Direction,
    Method,
    PersonFacts,
    PersonKind,
    Reason,
    ScanFacts,
)
from ..models import AccessPoint, Badge, Movement, Person, Refusal, User
from .errors import BadInput
from .ship import access_point_by_code, current_policy, current_port_call

MAX_SCAN_TEXT = 4096  # longer than any symbol a scanner reads: refuse as input, record nothing
MAX_PURPOSE = 200


@dataclass(frozen=True)
class ScanInput:
    """One scan as the watch submitted it (already stripped of transport details)."""

    code: str
    access_point: str
    direction: str
    purpose: str | None = None
    method: str = Method.SCAN.value


@dataclass(frozen=True)
class ScanOutcome:
    """What was decided and what was written."""

    decision: Decision
    person: Person | None
    access_point: AccessPoint
    movement: Movement | None = None
    refusal: Refusal | None = None

    @property
    def record_id(self) -> str:
        """Return the id of the written record, prefixed by its kind (m-12, r-7)."""
        return f"m-{self.movement.id}" if self.movement else f"r-{self.refusal.id}"


def validate_scan(session: Session, data: ScanInput) -> tuple[Direction, Method, AccessPoint]:
    """Check the request fields; raise BadInput before anything is decided or written."""
    if not data.code or not data.code.strip():
        raise BadInput("code", "Nothing was scanned: scan or type a code.")
    if len(data.code) > MAX_SCAN_TEXT:
        raise BadInput("code", "The scanned text is far too long to be a badge or boarding pass.")
    try:
        direction = Direction(data.direction)
    except ValueError:
        raise BadInput("direction", "Direction must be 'board' or 'depart'.") from None
    try:
        method = Method(data.method)
    except ValueError:
        raise BadInput("method", "Unknown scan method.") from None
    if data.purpose and len(data.purpose) > MAX_PURPOSE:
        raise BadInput("purpose", f"Purpose is too long (at most {MAX_PURPOSE} characters).")
    return direction, method, access_point_by_code(session, data.access_point)


def record_scan(
    session: Session,
    data: ScanInput,
    *,
    user: User,
    now: datetime,
    public_keys: dict[int, Ed25519PublicKey],
) -> ScanOutcome:
    """Decide a scan and write its movement or refusal in one transaction."""
    direction, method, point = validate_scan(session, data)
    purpose = (data.purpose or "").strip() or None
    claims, problem = _read_code(data.code, public_keys)
    badge = session.get(Badge, claims.badge_id) if claims else None
    person = badge.person if badge else None
    facts = ScanFacts(
        direction=direction,
        claims=claims,
        code_problem=problem,
        badge=_badge_facts(badge),
        person=_person_facts(person),
        is_aboard=bool(person and person.aboard_movement_id),
        purpose=purpose,
    )
    decision = decide_scan(facts, current_policy(session), now)
    common = dict(
        direction=direction.value,
        occurred_at=now,
        access_point_id=point.id,
        port_call_id=_port_call_id(session),
        purpose=purpose,
        method=method.value,
        recorded_by_id=user.id,
    )
    try:
        if decision.is_allowed:
            outcome = _write_movement(session, decision, person, badge, point, common)
        else:
            outcome = _write_refusal(session, decision, data.code, person, badge, point, common)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return outcome


def _read_code(
    text: str, keys: dict[int, Ed25519PublicKey]
) -> tuple[BadgeClaims | None, Reason | None]:
    """Verify a badge text; anything that is not one of our badges is an unknown code."""
    if not is_badge_text(text):
        return None, reasons.UNKNOWN_CODE
    try:
        return verify_badge(text, keys), None
    except InvalidBadge as exc:
        return None, exc.reason


def _badge_facts(badge: Badge | None) -> BadgeFacts | None:
    if badge is None:
        return None
    return BadgeFacts(
        badge.id, badge.valid_from, badge.valid_until, badge.revoked_at, badge.revoked_reason
    )


def _person_facts(person: Person | None) -> PersonFacts | None:
    if person is None:
        return None
    return PersonFacts(person.id, PersonKind(person.kind), person.display_name, person.is_enabled)


def _port_call_id(session: Session) -> int | None:
    call = current_port_call(session)
    return call.id if call else None


def _write_movement(session, decision, person, badge, point, common) -> ScanOutcome:
    """Insert the movement and move the person's presence pointer with it."""
    flags = ",".join(r.code for r in decision.warnings)
    movement = Movement(person_id=person.id, badge_id=badge.id, flags=flags, **common)
    session.add(movement)
    session.flush()
    person.aboard_movement_id = movement.id if decision.direction is Direction.BOARD else None
    return ScanOutcome(decision, person, point, movement=movement)


def _write_refusal(session, decision, text, person, badge, point, common) -> ScanOutcome:
    """Insert the refusal with every reason and the text as scanned (bounded)."""
    first = decision.refusal
    refusal = Refusal(
        scanned_text=text.strip()[:MAX_CODE_LENGTH],
        reason_code=first.code,
        reason_message=first.message,
        reason_codes=",".join(r.code for r in decision.reasons),
        person_id=person.id if person else None,
        badge_id=badge.id if badge else None,
        **common,
    )
    session.add(refusal)
    session.flush()
    return ScanOutcome(decision, person, point, refusal=refusal)
