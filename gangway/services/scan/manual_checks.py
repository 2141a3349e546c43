"""Check an identity document by hand: a slip of the finger is read again, then it is a scan.

The watch types the number off the document (ISPS Code B/9.14.1). A number a character or two
off the record on the first look writes nothing: no refusal, no alarm for the SSO, until the
watch has looked again and corrected or confirmed it (domain/identity.py is_near_miss).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from gangway.domain.scan.identity import is_near_miss
from gangway.services.scan.credentials import resolve_person
from gangway.services.scan.input import ScanInput, validate_scan
from gangway.services.scan.scanning import ScanOutcome, record_scan


@dataclass(frozen=True)
class LookAgain:
    """The number typed is a near miss of the record: nothing was decided or written."""

    person_id: int
    typed: str


def check_by_hand(
    session: Session, data: ScanInput, *, looked_again: bool, **scan_context
) -> ScanOutcome | LookAgain:
    """Ask for a second look at a near miss on the first look; else decide and record the check.

    :param looked_again: the watch has been asked once already: what is typed now is decided.
    :param scan_context: record_scan's keyword arguments (user, now, public_keys, notify...).
    :raises BadInput: the form is incomplete or names no person; nothing is written.
    """
    validate_scan(session, data)
    person = resolve_person(session, data.person_id).person
    first_look = not looked_again and person.is_enabled
    if first_look and is_near_miss(data.document_number, person.document_number):
        return LookAgain(person.id, data.document_number or "")
    return record_scan(session, data, **scan_context)
