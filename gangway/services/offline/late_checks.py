"""A late scan whose outcome differs from what a live check would decide now.

Rule source: ISPS Code B/9.12 (anyone refused is reported to the SSO). A person the tablet let
cross on the pack it held, whom the ship's records would refuse now (a badge revoked, a level
raised since), did cross: the movement is recorded as it happened, and a refusal entry with
`late_scan_differs` goes to the SSO's board and alert, exactly as a refusal does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from gangway.db.models import OfflinePack
from gangway.domain.scan.access import decide_scan
from gangway.domain.scan.offline import LATE_SCAN_DIFFERS
from gangway.domain.scan.types import Decision, Reason, ScanFacts, Severity, Verdict
from gangway.services.scan.facts import point_facts
from gangway.services.scan.writes import REFUSAL_TABLE, write_record
from gangway.services.ship.ship import current_policy


class Differs(NamedTuple):
    """The movement written, and the id of the refusal entry that alerts the SSO."""

    table: str
    id: int
    purpose: str | None
    credential: str
    alert_id: int


def live_check_refuses(
    session: Session, decision: Decision, facts: ScanFacts, point_now, now: datetime
) -> Decision | None:
    """Return the live check's refusal when a late scan was allowed and a check now refuses."""
    if not decision.is_allowed:
        return None  # a refusal already reaches the SSO
    # Nobody is searched after the fact: the comparison is of the rules, not of a random draw.
    live_facts = replace(facts, access_point=point_facts(point_now), search_roll=1.0)
    live = decide_scan(live_facts, current_policy(session), now)
    return live if live.verdict is Verdict.REFUSED else None


def flag_differs(decision: Decision) -> Decision:
    """Add the warning the movement carries: a live check now would refuse it."""
    return replace(decision, reasons=(*decision.reasons, LATE_SCAN_DIFFERS))


def differs_refusal(decision: Decision, live: Decision, pack: OfflinePack | None) -> Decision:
    """Return the entry for the SSO: crossed late, and why a check now refuses."""
    held = f" on the list of {pack.issued_at:%Y-%m-%d %H:%M} UTC" if pack else ""
    now_says = live.refusal.message if live.refusal else "refused"
    message = f"Crossed while offline{held}; a check now refuses: {now_says}"
    first = Reason(LATE_SCAN_DIFFERS.code, message[:255])
    refusals = tuple(r for r in live.reasons if r.severity is Severity.REFUSAL)
    return Decision(Verdict.REFUSED, decision.direction, (first, *refusals))


def write_with_alert(move, values: dict, conn: Connection) -> Differs:
    """Write the movement, then the refusal entry that alerts the SSO (no idempotency key)."""
    written = move(conn)
    alert = write_record(conn, REFUSAL_TABLE, {**values, "client_key": None})
    return Differs(*written, alert_id=alert.id)
