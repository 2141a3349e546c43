"""The catalogue of reason codes: stable strings that records, the API and reports rely on.

Refusal grounds follow ISPS Code B/9.12 (those unable to establish identity or purpose are denied)
and B/9.14.1 (identity and reason for boarding checked for everyone at level 1).
"""

from __future__ import annotations

from datetime import UTC, datetime

from gangway.domain.codes.documents.document import LABELS as DOCUMENT_LABELS
from gangway.domain.scan.types import Reason, Severity

_W = Severity.WARNING

# Codes the shell looks for among a decision's reasons (what each one carries is recorded apart).
MASTER_OVERRIDE_CODE = "master_override"  # the override's words go on the movement
WATCH_LISTED_CODE = "watch_listed"  # the watch list entry goes on the refusal

MALFORMED_CODE = Reason(
    "malformed_code", "The code could not be read as a badge. Check the ID by hand."
)
UNKNOWN_CODE = Reason("unknown_code", "This code is not a badge issued by this ship.")
FORGED = Reason("forged", "Badge signature is invalid: the code was altered or forged.")
UNKNOWN_BADGE = Reason("unknown_badge", "No badge with this number was issued by this ship.")
UNKNOWN_PERSON = Reason("unknown_person", "The badge holder is not on the ship's lists.")
SIGNED_OFF = Reason("signed_off", "Signed off: no longer one of this ship's crew.")
NOT_YET_VALID = Reason("not_yet_valid", "Badge is not valid yet.")
EXPIRED = Reason("expired", "Badge has expired.")
REVOKED = Reason("revoked", "Badge has been revoked.")
PURPOSE_REQUIRED = Reason("purpose_required", "No purpose of visit stated.")
PURPOSE_NEEDED = Reason(
    "purpose_needed", "No purpose of visit on record: ask the visitor and choose one.", _W
)
WORK_ORDER_NOT_YET_VALID = Reason("work_order_not_yet_valid", "The work order is not valid yet.")
WORK_ORDER_EXPIRED = Reason("work_order_expired", "The work order has expired.")
ALREADY_ABOARD = Reason("already_aboard", "Already recorded aboard: boarding twice.")
NOT_ABOARD = Reason("not_aboard", "Not recorded aboard: departing without a boarding record.")

# On departure a lapsed badge must not keep anyone on board: it is recorded as a warning.
EXPIRED_ON_DEPARTURE = Reason("expired", "Badge has expired (departure recorded).", _W)
REVOKED_ON_DEPARTURE = Reason("revoked", "Badge has been revoked (departure recorded).", _W)
SIGNED_OFF_ON_DEPARTURE = Reason(
    "signed_off", "Signed off: no longer one of this ship's crew (departure recorded).", _W
)
NOT_YET_VALID_ON_DEPARTURE = Reason(
    "not_yet_valid", "Badge is not valid yet (departure recorded).", _W
)
WORK_ORDER_NOT_YET_VALID_ON_DEPARTURE = Reason(
    "work_order_not_yet_valid", "The work order is not valid yet (departure recorded).", _W
)
WORK_ORDER_EXPIRED_ON_DEPARTURE = Reason(
    "work_order_expired", "The work order has expired (departure recorded).", _W
)
ALREADY_ABOARD_WARNING = Reason(ALREADY_ABOARD.code, ALREADY_ABOARD.message, _W)
NOT_ABOARD_WARNING = Reason(NOT_ABOARD.code, NOT_ABOARD.message, _W)


def call_ended(port: str | None, ended_at: datetime, *, leaving: bool) -> Reason:
    """Refuse a visitor's badge after its port call ended (a warning when leaving)."""
    where = f" at {port}" if port else ""
    message = f"Badge has expired: the port call{where} it was issued for ended"
    message = f"{message} {ended_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if leaving:
        return Reason(EXPIRED.code, f"{message} (departure recorded).", _W)
    return Reason(EXPIRED.code, f"{message}.")


_KINDS = {"crew": "crew", "authority": "authorities", "passenger": "passengers"}


def already_aboard(kind: str) -> Reason:
    """Refuse a second boarding, saying why (B/9.11: one badge, one person aboard on it)."""
    who = _KINDS.get(kind, f"{kind}s")
    return Reason(
        ALREADY_ABOARD.code,
        f"Already recorded aboard: the plan refuses boarding twice for {who} (one badge, one"
        " person). If they left without a scan, record their departure first.",
    )


def not_aboard(kind: str) -> Reason:
    """Refuse leaving without a boarding on record, saying why."""
    who = _KINDS.get(kind, f"{kind}s")
    return Reason(
        NOT_ABOARD.code,
        f"Not recorded aboard: the plan refuses leaving twice for {who}. Call the SSO.",
    )


ALL = (
    MALFORMED_CODE,
    UNKNOWN_CODE,
    FORGED,
    UNKNOWN_BADGE,
    UNKNOWN_PERSON,
    SIGNED_OFF,
    NOT_YET_VALID,
    EXPIRED,
    REVOKED,
    PURPOSE_REQUIRED,
    WORK_ORDER_NOT_YET_VALID,
    WORK_ORDER_EXPIRED,
    ALREADY_ABOARD,
    NOT_ABOARD,
)

# Short plain-word labels for every reason code, for the places people read a code without its
# recorded message: counts by reason in reports, filters, lists. Unknown codes read as words.
LABELS = {
    "malformed_code": "Code could not be read",
    "unknown_code": "Not a badge of this ship",
    "forged": "Altered or forged badge",
    "unknown_badge": "Badge not issued by this ship",
    "unknown_person": "Holder not on the ship's lists",
    "signed_off": "Signed off the crew",
    "not_yet_valid": "Badge not valid yet",
    "expired": "Badge expired",
    "revoked": "Badge revoked",
    "purpose_required": "No purpose of visit",
    "purpose_needed": "Purpose of visit asked",
    "work_order_not_yet_valid": "Work order not valid yet",
    "work_order_expired": "Work order expired",
    "already_aboard": "Already aboard",
    "not_aboard": "Not recorded aboard",
    "malformed_pass": "Boarding pass unreadable",
    "not_on_manifest": "Not on the passenger list",
    "pass_name_mismatch": "Name differs from the passenger list",
    "pass_ambiguous": "Booking matches several passengers",
    "pass_wrong_date": "Boarding pass for another day",
    "pass_no_date": "Boarding pass without a date",
    "pass_wrong_route": "Boarding pass for another route",
    "watch_listed": "On the watch list",
    "document_not_inspected": "Document not inspected",
    "document_mismatch": "Document does not match the record",
    "document_type_mismatch": "Different type of document from the record",
    "document_expired": "Identity document expired",  # Check ID (domain/scan/document_check.py)
    "not_registered": "Not registered",
    "document_ambiguous": "Document matches several records",
    "access_point_closed": "Access point closed at this level",
    "embarkation_suspended": "Embarkation suspended",
    "disembarkation_suspended": "Disembarkation suspended",
    "responders_only": "Level 3: responders only",
    "escort_needed": "No escort available",
    "escort_declined": "Declined to wait for an escort",
    "search_declined": "Declined to be searched",
    "still_escorting": "Left while escorting visitors",
    "master_override": "Master's override",
    "offline_refused": "Refused by the tablet offline",
    # No verdict: the ship's level, plan or presence differs from the audit chain.
    "records_mismatch": "Records do not match the log — call the SSO",
    "late_scan_differs": "Crossed offline; a check now refuses",
    **DOCUMENT_LABELS,  # identity documents read from their zone or barcode (issue 18)
}


def label(code: str | None) -> str:
    """Return the plain-word label for a reason code (an unknown code, its words capitalised)."""
    if not code:
        return ""
    return LABELS.get(code) or code.replace("_", " ").capitalize()
