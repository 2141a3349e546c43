"""Scans made while the network was down: the tablet's verdict is provisional, the ship's is final.

Rule sources: ISPS Code A/10.1 (records of security activities, so every check made offline is
recorded once the records are reachable) and B/9.12 (anyone refused is reported to the SSO; an
offline allowance the ship's records would have refused is exactly such a case).

What happened at the gangway cannot be undone: a person the tablet turned away did not cross, so
that scan is a refusal whatever the records say now; a person the tablet let through is re-checked
and, if the records refuse, becomes a refusal the SSO must chase.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from gangway.domain.scan import reasons as R
from gangway.domain.scan.types import Decision, Reason, Severity, Verdict

VERDICTS = ("allowed", "refused")  # what the tablet showed, provisionally
MAX_REASON_CODE = 32
LATE_SCAN_DIFFERS = Reason(
    "late_scan_differs",
    "Crossed while offline; a check now would refuse: the SSO is told.",
    Severity.WARNING,
)


def scan_time_problem(
    scanned_at: datetime, now: datetime, *, max_age: timedelta, skew: timedelta
) -> str | None:
    """Return why a device's scan time cannot be recorded, or None when it is plausible."""
    if scanned_at.tzinfo is None:
        return "scanned_at needs a time zone (e.g. 2026-11-22T16:00:00Z)."
    if scanned_at > now + skew:
        return "scanned_at is in the future: check the tablet's clock."
    if scanned_at < now - max_age:
        hours = int(max_age.total_seconds() // 3600)
        return f"scanned_at is more than {hours} hours old: record this check by hand."
    return None


def settle_offline(
    decision: Decision, provisional: str, tablet_reason: str | None, *, searchable: bool = False
) -> Decision:
    """Turn the ship's decision on a replayed offline scan into the final, recordable one.

    :param searchable: the scan's time is now (not sent late): a search drawn is still asked.
    """
    warnings = tuple(r for r in decision.reasons if r.severity is Severity.WARNING)
    if decision.verdict is Verdict.ESCORT_NEEDED:  # nobody can be asked to wait any more
        first = Reason("escort_needed", "Escort needed, and none could be assigned offline.")
        rest = tuple(r for r in warnings if r.code != "escort_needed")
        return _refused(decision, (first, *rest), provisional)
    if decision.verdict is Verdict.PURPOSE_NEEDED:  # nor asked for a purpose
        rest = tuple(r for r in warnings if r.code != R.PURPOSE_NEEDED.code)
        return _refused(decision, (R.PURPOSE_REQUIRED, *rest), provisional)
    if provisional == "refused" and decision.verdict is Verdict.ALLOWED:
        why = tablet_reason or "no reason given"
        first = Reason(
            "offline_refused",
            f"Refused by the tablet while offline ({why}); the ship's records would allow it.",
        )
        return _refused(decision, (first, *warnings), provisional)
    if decision.verdict is Verdict.REFUSED:
        return _refused(decision, decision.reasons, provisional)
    if searchable:  # an offline verdict sent with a time of now skips no search
        return decision
    return replace(decision, search_required=False)  # nobody can be searched after the fact


def _refused(decision: Decision, reasons: tuple[Reason, ...], provisional: str) -> Decision:
    """Refuse; when the tablet let the person through, say so first: the SSO must act on it."""
    if provisional == "allowed":
        first = reasons[0]
        message = f"OFFLINE: the tablet let this person cross. {first.message}"
        reasons = (replace(first, message=message[:255]), *reasons[1:])
    return Decision(Verdict.REFUSED, decision.direction, reasons)
