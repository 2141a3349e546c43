"""What the watch submits for one check, and the checks made on it before anything is decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from gangway.domain.codes.badges import scanned_text
from gangway.domain.codes.documents.aamva import is_scanned_licence
from gangway.domain.scan.types import Direction, Method
from gangway.services.errors import BadInput
from gangway.services.scan.rows import PointRow
from gangway.services.ship.ship import access_point_by_code

MAX_SCAN_TEXT = 4096  # longer than any symbol a scanner reads: refuse as input, record nothing
MAX_PURPOSE = 200
MAX_DOCUMENT = 64
LIVE_SCAN = timedelta(minutes=1)  # a device time older than this is a scan sent late


@dataclass(frozen=True)
class ScanInput:
    """One check as the watch submitted it: a scanned code, or a person checked by hand."""

    code: str
    access_point: str
    direction: str = "auto"  # "auto": across (aboard -> leaving); "board" or "depart": this scan
    purpose: str | None = None  # asked only of a visitor with none on record
    method: str = Method.SCAN.value
    person_id: int | None = None  # manual checks
    document_type: str | None = None
    document_number: str | None = None
    escort: str | None = None  # level 2: the escort's crew badge, scanned
    escort_person_id: int | None = None  # ... or picked from the crew aboard
    escort_declined: bool = False
    purpose_declined: bool = False  # asked for a purpose, the visitor gave none
    search: str | None = None  # answer to SEARCH REQUIRED: "done" or "declined"
    override_reason: str | None = None  # the master's, for one disembarkation while suspended
    client_key: str | None = None  # idempotency key (UUID): a resend returns the first record
    scanned_at: datetime | None = None  # device time of a scan sent late (offline queue)
    offline_verdict: str | None = None  # what the offline tablet showed: allowed or refused
    offline_reason: str | None = None  # the tablet's reason code when it refused
    pack_id: str | None = None  # the offline pack a late scan was checked with


def validate_scan(session: Session, data: ScanInput) -> tuple[Direction | None, Method, PointRow]:
    """Check the request fields; raise BadInput before anything is decided or written.

    The direction is None for "auto" (or none given): the person is moved across.
    """
    try:
        method = Method(data.method)
    except ValueError:
        raise BadInput("method", "Unknown scan method.") from None
    # Only what scanners add at the ends counts as nothing; the text itself goes on as scanned
    # (domain/badges.py: one spelling verifies, so nothing here may respell it).
    if method not in (Method.MANUAL, Method.DOCUMENT) and not scanned_text(data.code or ""):
        raise BadInput("code", "Nothing was scanned: scan or type a code.")
    if method not in (Method.MANUAL, Method.DOCUMENT) and is_scanned_licence(data.code or ""):
        # Its text (name, address, birth date) must never be filed as an unknown code's.
        raise BadInput(
            "code", "A driving licence is checked with Check ID: scan it on the watch page."
        )
    if len(data.code or "") > MAX_SCAN_TEXT:
        raise BadInput("code", "The scanned text is far too long to be a badge or boarding pass.")
    try:
        direction = Direction(data.direction) if data.direction not in ("", "auto") else None
    except ValueError:
        raise BadInput("direction", "Direction must be 'auto', 'board' or 'depart'.") from None
    if data.purpose and len(data.purpose) > MAX_PURPOSE:
        raise BadInput("purpose", f"Purpose is too long (at most {MAX_PURPOSE} characters).")
    if len(data.document_number or "") + len(data.document_type or "") > MAX_DOCUMENT:
        raise BadInput("document_number", "Document type and number are too long.")
    if data.search not in (None, "", "done", "declined"):
        raise BadInput("search", "Search is 'done' or 'declined'.")
    if len(data.escort or "") > MAX_SCAN_TEXT or len(data.override_reason or "") > 255:
        raise BadInput("escort", "The escort code or override reason is too long.")
    point = access_point_by_code(session, data.access_point, enabled_only=data.scanned_at is None)
    return direction, method, point
