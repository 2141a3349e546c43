"""Record one check at the gangway: the core decides, this module writes the movement or refusal.

The request's fields are checked first (services/scan_input.py); ScanInput lives there.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gangway.db.commit_groups import write_and_commit
from gangway.db.models import AccessPoint, Movement, Person, User
from gangway.domain.accounts.permissions import holds
from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.crossing import WrongWay, choose_direction, visit_purpose
from gangway.domain.scan.offline import settle_offline
from gangway.domain.scan.types import Decision, Method, PersonKind, ScanFacts
from gangway.services.after_commit import run_deferred
from gangway.services.audit.guard import check_decision_state
from gangway.services.audit.record_snapshots import last_seen_as
from gangway.services.errors import BadInput
from gangway.services.offline.late_checks import (
    differs_refusal,
    flag_differs,
    live_check_refuses,
    write_with_alert,
)
from gangway.services.offline.late_scans import Caller, judged_at, late_pack, sent_late
from gangway.services.scan import after_scan
from gangway.services.scan.credentials import (
    Presented,
    active_watch_list,
    resolve_document,
    resolve_escort,
    resolve_person,
    resolve_text,
)
from gangway.services.scan.facts import badge_facts, escort_facts, person_facts, point_facts
from gangway.services.scan.input import ScanInput, validate_scan
from gangway.services.scan.pass_rules import PassRules, pass_facts
from gangway.services.scan.records import is_aboard, refusal_values, write_movement
from gangway.services.scan.replay import check_offline_fields, find_record, stored_decision
from gangway.services.scan.rows import PersonRow, PointRow, connection
from gangway.services.scan.writes import (
    MOVEMENT_TABLE,
    REFUSAL_TABLE,
    KeyTaken,
    Written,
    write_record,
)
from gangway.services.ship.plan_history import plan_at, point_as_of
from gangway.services.ship.ship import (
    current_policy,
    current_port_call_id,
    policy_at,
    port_call_id_at,
)
from gangway.services.ship.voyages import voyage_for_record


@dataclass(frozen=True)
class ScanOutcome:
    """What was decided and what was written."""

    decision: Decision
    person: PersonRow | Person | None
    access_point: PointRow | AccessPoint
    record: Written | None = None  # None while the check waits for the watch
    escort: PersonRow | Person | None = None
    purpose_asked: str | None = None  # kept while the check waits, so the watch need not retype it
    text: str | None = None  # what was scanned (decoded from a photo too), for a waiting check
    replayed: bool = False  # a resend of a check already recorded: nothing was written now
    last_seen_as: str | None = None  # renamed since their last crossing: the name it recorded

    @property
    def record_id(self) -> str | None:
        """Return the record written (m-12, r-7), or None while the check waits for the watch."""
        return f"{self.record.table[0]}-{self.record.id}" if self.record else None

    @property
    def refusal_id(self) -> int | None:
        return self.record.id if self.record and self.record.table == REFUSAL_TABLE else None

    @property
    def purpose(self) -> str | None:
        """Return the purpose recorded with the check (or asked, while it waits)."""
        return self.record.purpose if self.record else self.purpose_asked


def record_scan(
    session: Session,
    data: ScanInput,
    *,
    user: User,
    now: datetime,
    public_keys: dict[int, Ed25519PublicKey],
    caller: Caller | None = None,
    passes: PassRules | None = None,
    document: Presented | None = None,
) -> ScanOutcome:
    """Decide a check and write its movement or refusal in one transaction.

    Once committed, a refusal is mailed to the SSO, and a late record (an offline tablet's)
    of a call closed meanwhile gets the call's stored report revised (services/after_scan.py).

    :param caller: who sends the scan; a late one needs a device and the pack it held
        (services/late_scans.py). None: a caller inside the app, trusted.
    :param passes: the ship's settings for boarding passes (None: the defaults).
    :param document: an identity document read from a photo and matched to the records
        (services/documents/checks.py): method `document` is decided only with one.
    """
    asked, method, point = validate_scan(session, data)
    if data.client_key and (stored := stored_outcome(session, data.client_key)):
        return stored
    when = check_offline_fields(data, now)  # the device's time for a check made offline
    late = when < now  # judged and filed as of its scan time (a clock ahead counts as now)
    pack = late_pack(session, data, when, user.id, caller) if late else None
    judged = judged_at(when, pack)  # the rules: as the tablet's pack knew them at the least
    call_id = port_call_id_at(session, when) if late else current_port_call_id(session)
    if method is Method.MANUAL:
        presented = resolve_person(session, data.person_id)
    elif method is Method.DOCUMENT:
        presented = resolve_document(document)
    else:
        presented = resolve_text(session, data.code, public_keys, call_id=call_id)
    person = presented.person
    seen_as = last_seen_as(connection(session), person)
    kind = PersonKind(person.kind) if person else PersonKind.VISITOR
    purpose = visit_purpose(kind, person.purpose if person else None, data.purpose)
    inspected = " ".join(filter(None, [data.document_type, data.document_number])) or None
    if data.override_reason and not holds(user.role, "scan.override"):
        raise BadInput("override_reason", "Only the master can override a suspension.")
    escort = resolve_escort(session, data.escort, data.escort_person_id, public_keys)
    # Decide nothing on a level, plan or presence that differs from the audit chain.
    check_decision_state(connection(session), [getattr(p, "id", None) for p in (person, escort)])
    revision = plan_at(session, judged) if late else None  # the plan in force then
    point_now = point
    if revision:  # the points open then, not now
        point = point_as_of(revision, point)
    point_seen = point_facts(point)
    aboard = is_aboard(session, person, when if late else None)
    try:
        direction = choose_direction(asked, is_aboard=aboard, point=point_seen)
    except WrongWay as exc:
        raise BadInput("direction", str(exc)) from None
    facts = ScanFacts(
        direction=direction,
        credential=presented.credential,
        claims=presented.claims,
        code_problem=presented.problem,
        badge=badge_facts(presented.badge),
        person=person_facts(session, person),
        is_aboard=aboard,
        purpose=purpose,
        inspected_document=data.document_number,
        inspected_document_type=data.document_type,
        watch_list=active_watch_list(session),
        access_point=point_seen,
        escort=escort_facts(session, escort),
        escort_declined=data.escort_declined,
        purpose_declined=data.purpose_declined,
        search_roll=_search_roll(data, now),
        search=data.search or None,
        override_reason=data.override_reason,
        boarding_pass=pass_facts(
            session, presented.boarding_pass, call_id, when, passes or PassRules()
        ),
    )
    policy = policy_at(session, judged, revision) if late else current_policy(session)
    decision = decide_scan(facts, policy, judged)
    if data.offline_verdict:  # the tablet's verdict was provisional: what happened stands
        searchable = not sent_late(data, now)  # a search drawn for a live scan is asked
        decision = settle_offline(
            decision, data.offline_verdict, data.offline_reason, searchable=searchable
        )
    differs = late and live_check_refuses(session, decision, facts, point_now, now)
    if not decision.is_final:  # purpose, escort or search asked: nothing is recorded yet
        return ScanOutcome(
            decision, person, point, purpose_asked=purpose, text=data.code, last_seen_as=seen_as
        )
    common = dict(
        direction=direction.value,
        occurred_at=when,
        received_at=now,
        client_key=data.client_key,
        offline_verdict=data.offline_verdict,
        access_point_id=point.id,
        port_call_id=call_id,
        voyage_id=voyage_for_record(session, when) if call_id is None else None,
        purpose=purpose,
        method=method.value,
        credential=presented.credential.value,
        recorded_by_id=user.id,
    )
    if decision.is_allowed and differs:  # what happened stands; the SSO hears it differs
        decision = flag_differs(decision)
        values = refusal_values(differs_refusal(decision, differs, pack), data, presented, common)
        move = partial(
            write_movement, decision, presented, inspected, data.search, common, escort=escort
        )
        work = partial(write_with_alert, move, values)
    elif decision.is_allowed:
        work = partial(
            write_movement, decision, presented, inspected, data.search, common, escort=escort
        )
    else:
        values = refusal_values(decision, data, presented, common)
        work = partial(write_record, table=REFUSAL_TABLE, values=values)
    try:
        written = write_and_commit(session, work)
    except (IntegrityError, KeyTaken):
        session.rollback()  # the same key, sent twice at once: the other request wrote it
        if data.client_key and (stored := stored_outcome(session, data.client_key)):
            return stored
        raise
    after_scan.defer_follow_ons(session, written, call_id if late else None)
    run_deferred(session)  # committed by write_and_commit, on SQLite by the commit group
    escort_of = escort if written.table == MOVEMENT_TABLE and decision.escort_id else None
    return ScanOutcome(decision, person, point, written, escort_of, last_seen_as=seen_as)


def stored_outcome(session: Session, client_key: str) -> ScanOutcome | None:
    """Return the outcome recorded for this idempotency key, or None if it is new."""
    record = find_record(session, client_key)
    if record is None:
        return None
    table = MOVEMENT_TABLE if isinstance(record, Movement) else REFUSAL_TABLE
    written = Written(table, record.id, record.purpose, record.credential)
    escort = record.escort if table == MOVEMENT_TABLE else None
    return ScanOutcome(
        stored_decision(record), record.person, record.access_point, written, escort, replayed=True
    )


def _search_roll(data: ScanInput, now: datetime) -> float:
    """Draw the random search (B/9.15) for a live boarding; never for an answer or a late scan.

    A scan is late when its device time is over a minute old: neither a `scanned_at` of now nor
    an `offline_verdict` sent with it lets a client skip the draw.
    """
    if data.search or sent_late(data, now):  # offline_verdict alone does not skip the draw
        return 1.0
    return secrets.randbelow(1_000_000) / 1_000_000
