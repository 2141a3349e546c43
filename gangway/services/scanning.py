"""Record one check at the gangway: the core decides, this module writes the movement or refusal."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..dbtypes import commit_keeping_loaded
from ..domain.access import decide_scan
from ..domain.badges import MAX_CODE_LENGTH
from ..domain.offline import settle_offline
from ..domain.types import (
    Credential,
    Decision,
    Direction,
    Method,
    ScanFacts,
)
from ..models import AccessPoint, Movement, Person, Refusal, User
from .credentials import (
    Presented,
    active_watch_list,
    resolve_escort,
    resolve_person,
    resolve_text,
)
from .errors import BadInput
from .facts import badge_facts, escort_facts, person_facts, point_facts
from .scan_replay import check_offline_fields, find_record, has_later_movement, stored_decision
from .ship import access_point_by_code, current_policy, current_port_call_id

MAX_SCAN_TEXT = 4096  # longer than any symbol a scanner reads: refuse as input, record nothing
MAX_PURPOSE = 200
MAX_DOCUMENT = 64


@dataclass(frozen=True)
class ScanInput:
    """One check as the watch submitted it: a scanned code, or a person checked by hand."""

    code: str
    access_point: str
    direction: str
    purpose: str | None = None
    method: str = Method.SCAN.value
    person_id: int | None = None  # manual checks
    document_type: str | None = None
    document_number: str | None = None
    escort: str | None = None  # level 2: the escort's crew badge, scanned
    escort_person_id: int | None = None  # ... or picked from the crew aboard
    escort_declined: bool = False
    search: str | None = None  # answer to SEARCH REQUIRED: "done" or "declined"
    override_reason: str | None = None  # the master's, for one disembarkation while suspended
    client_key: str | None = None  # idempotency key (UUID): a resend returns the first record
    scanned_at: datetime | None = None  # device time of a scan sent late (offline queue)
    offline_verdict: str | None = None  # what the offline tablet showed: allowed or refused
    offline_reason: str | None = None  # the tablet's reason code when it refused


@dataclass(frozen=True)
class ScanOutcome:
    """What was decided and what was written."""

    decision: Decision
    person: Person | None
    access_point: AccessPoint
    movement: Movement | None = None
    refusal: Refusal | None = None
    purpose_asked: str | None = None  # kept while the check waits, so the watch need not retype it
    text: str | None = None  # what was scanned (decoded from a photo too), for a waiting check
    replayed: bool = False  # a resend of a check already recorded: nothing was written now

    @property
    def record_id(self) -> str | None:
        """Return the record written (m-12, r-7), or None while the check waits for the watch."""
        if self.movement:
            return f"m-{self.movement.id}"
        return f"r-{self.refusal.id}" if self.refusal else None

    @property
    def purpose(self) -> str | None:
        """Return the purpose recorded with the check (or asked, while it waits)."""
        record = self.movement or self.refusal
        return record.purpose if record else self.purpose_asked


def validate_scan(session: Session, data: ScanInput) -> tuple[Direction, Method, AccessPoint]:
    """Check the request fields; raise BadInput before anything is decided or written."""
    try:
        method = Method(data.method)
    except ValueError:
        raise BadInput("method", "Unknown scan method.") from None
    if method is not Method.MANUAL and (not data.code or not data.code.strip()):
        raise BadInput("code", "Nothing was scanned: scan or type a code.")
    if len(data.code or "") > MAX_SCAN_TEXT:
        raise BadInput("code", "The scanned text is far too long to be a badge or boarding pass.")
    try:
        direction = Direction(data.direction)
    except ValueError:
        raise BadInput("direction", "Direction must be 'board' or 'depart'.") from None
    if data.purpose and len(data.purpose) > MAX_PURPOSE:
        raise BadInput("purpose", f"Purpose is too long (at most {MAX_PURPOSE} characters).")
    if len(data.document_number or "") + len(data.document_type or "") > MAX_DOCUMENT:
        raise BadInput("document_number", "Document type and number are too long.")
    if data.search not in (None, "", "done", "declined"):
        raise BadInput("search", "Search is 'done' or 'declined'.")
    if len(data.escort or "") > MAX_SCAN_TEXT or len(data.override_reason or "") > 255:
        raise BadInput("escort", "The escort code or override reason is too long.")
    return direction, method, access_point_by_code(session, data.access_point)


def record_scan(
    session: Session,
    data: ScanInput,
    *,
    user: User,
    now: datetime,
    public_keys: dict[int, Ed25519PublicKey],
    notify: Callable[[int], None] | None = None,
) -> ScanOutcome:
    """Decide a check and write its movement or refusal in one transaction.

    :param notify: called with the refusal id once a refusal is committed (the SSO's alert).
    """
    direction, method, point = validate_scan(session, data)
    if data.client_key and (stored := stored_outcome(session, data.client_key)):
        return stored
    when = check_offline_fields(data, now)  # the device's time for a check made offline
    if method is Method.MANUAL:
        presented = resolve_person(session, data.person_id)
    else:
        presented = resolve_text(session, data.code, public_keys)
    person = presented.person
    purpose = (data.purpose or "").strip() or (person.purpose if person else None)
    inspected = " ".join(filter(None, [data.document_type, data.document_number])) or None
    if data.override_reason and user.role != "master":
        raise BadInput("override_reason", "Only the master can override a suspension.")
    facts = ScanFacts(
        direction=direction,
        credential=presented.credential,
        claims=presented.claims,
        code_problem=presented.problem,
        badge=badge_facts(presented.badge),
        person=person_facts(session, person),
        is_aboard=bool(person and person.aboard_movement_id),
        purpose=purpose,
        inspected_document=data.document_number,
        watch_list=active_watch_list(session),
        access_point=point_facts(point),
        escort=escort_facts(
            session, resolve_escort(session, data.escort, data.escort_person_id, public_keys)
        ),
        escort_declined=data.escort_declined,
        search_roll=_search_roll(data),
        search=data.search or None,
        override_reason=data.override_reason,
    )
    decision = decide_scan(facts, current_policy(session), when)
    if data.offline_verdict:  # the tablet's verdict was provisional: what happened stands
        decision = settle_offline(decision, data.offline_verdict, data.offline_reason)
    if not decision.is_final:  # escort needed, or search required: nothing is recorded yet
        return ScanOutcome(decision, person, point, purpose_asked=purpose, text=data.code)
    common = dict(
        direction=direction.value,
        occurred_at=when,
        received_at=now,
        client_key=data.client_key,
        offline_verdict=data.offline_verdict,
        access_point_id=point.id,
        port_call_id=current_port_call_id(session),
        purpose=purpose,
        method=method.value,
        credential=presented.credential.value,
        recorded_by_id=user.id,
    )
    try:
        if decision.is_allowed:
            outcome = _write_movement(
                session, decision, presented, point, inspected, data.search, common
            )
        else:
            outcome = _write_refusal(session, decision, data, presented, point, common)
        commit_keeping_loaded(session)  # the answer is built from these objects
    except IntegrityError:
        session.rollback()  # the same key, sent twice at once: the other request wrote it
        if data.client_key and (stored := stored_outcome(session, data.client_key)):
            return stored
        raise
    except Exception:
        session.rollback()
        raise
    if notify and outcome.refusal:
        notify(outcome.refusal.id)
    return outcome


def _write_movement(session, decision, presented: Presented, point, inspected, search, common):
    """Insert the movement and move the person's presence pointer with it."""
    person, badge = presented.person, presented.badge
    override = next((r for r in decision.reasons if r.code == "master_override"), None)
    flags = ",".join(r.code for r in decision.warnings)
    movement = Movement(
        person_id=person.id,
        badge_id=badge.id if badge else None,
        flags=flags,
        document_inspected=inspected if presented.credential is Credential.ID_DOCUMENT else None,
        escort_id=decision.escort_id,
        searched=search == "done",
        override_reason=override.message if override else None,
        **common,
    )
    when = common["occurred_at"]
    late = when != common["received_at"] and has_later_movement(session, person.id, when)
    session.add(movement)
    session.flush()
    if not late:  # a late scan older than the person's last crossing leaves presence alone
        person.aboard_movement_id = movement.id if decision.direction is Direction.BOARD else None
    return ScanOutcome(decision, person, point, movement=movement)


def _write_refusal(session, decision, data: ScanInput, presented: Presented, point, common):
    """Insert the refusal with every reason and what was presented (bounded)."""
    first = decision.refusal
    person, badge = presented.person, presented.badge
    document = " ".join(filter(None, [data.document_type, data.document_number])) or "-"
    shown = data.code.strip() if data.code else f"manual check: {document}"
    refusal = Refusal(
        scanned_text=shown[:MAX_CODE_LENGTH],
        reason_code=first.code,
        reason_message=first.message,
        reason_codes=",".join(r.code for r in decision.reasons),
        person_id=person.id if person else None,
        badge_id=badge.id if badge else None,
        watch_list_entry_id=first.ref if first.code == "watch_listed" else None,
        **common,
    )
    session.add(refusal)
    session.flush()
    return ScanOutcome(decision, person, point, refusal=refusal)


def stored_outcome(session: Session, client_key: str) -> ScanOutcome | None:
    """Return the outcome recorded for this idempotency key, or None if it is new."""
    record = find_record(session, client_key)
    if record is None:
        return None
    kind = "movement" if isinstance(record, Movement) else "refusal"
    decision = stored_decision(record)
    return ScanOutcome(
        decision, record.person, record.access_point, replayed=True, **{kind: record}
    )


def _search_roll(data: ScanInput) -> float:
    """Draw the random search (B/9.15) for a live boarding; never for an answer or a late scan."""
    if data.search or data.scanned_at:
        return 1.0
    return secrets.randbelow(1_000_000) / 1_000_000
