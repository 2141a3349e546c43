"""Check ID at the gangway: a document read from a photo, decided and recorded like a scan.

The core says what the document proves and whom it matches (domain/scan/document_check.py);
a match is then decided by the scan core and written by the one scan path (record_scan), with
method `document`, in one transaction with its audit chain entry. Nothing is written while the
photo must be re-taken or the watch has still to compare the faces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gangway.db.models import Person
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.scan.document_check import (
    NOT_REGISTERED,
    DocumentCheck,
    RecordHolder,
    check_document,
    document_type_of,
)
from gangway.domain.scan.identity import normalise_document_number
from gangway.domain.scan.types import Credential, Method, PersonKind
from gangway.services.errors import BadInput
from gangway.services.scan.credentials import Presented, active_watch_list
from gangway.services.scan.input import ScanInput, validate_scan
from gangway.services.scan.rows import PersonRow, person_row
from gangway.services.scan.scanning import ScanOutcome, record_scan
from gangway.services.ship.ship import current_port_call_id

MAX_HOLDERS = 50  # namesakes born the same day, or one number held twice: a handful at most


@dataclass(frozen=True)
class CompareFaces:
    """Matched by name and birth date only: the watch compares the faces; nothing is written."""

    person: PersonRow
    document: IdentityDocument


def check_id(
    session: Session,
    document: IdentityDocument,
    data: ScanInput,
    *,
    same_face: bool | None = None,
    **scan_context,
) -> ScanOutcome | CompareFaces:
    """Decide a document read from a photo and record the check (method `document`).

    :param same_face: the watch's answer after CompareFaces (None: not asked yet).
    :param scan_context: record_scan's keyword arguments (user, now, public_keys...).
    :raises BadInput: the document must be re-taken (or checked by hand); nothing is written.
    """
    data = replace(data, method=Method.DOCUMENT.value, code="", person_id=None)
    validate_scan(session, data)  # before anything is decided: the point, the direction
    now = scan_context["now"]
    check = check_document(
        document, now.date(), active_watch_list(session), _holders(session, document)
    )
    if check.retake is not None:
        raise BadInput("image", check.retake.message)
    person = person_row(session, check.person_id) if check.person_id else None
    if check.confirm and same_face is None:
        return CompareFaces(person, document)
    if check.confirm and not same_face:  # another person with the same name and birth date
        check, person = DocumentCheck(problem=NOT_REGISTERED), None
    presented = Presented(Credential.ID_DOCUMENT, person, problem=check.problem)
    shown = replace(
        data,
        person_id=person.id if person else None,
        document_type=document_type_of(document),
        document_number=document.document_number,
    )
    return record_scan(session, shown, document=presented, **scan_context)


def _holders(session: Session, document: IdentityDocument) -> list[RecordHolder]:
    """Load the people on record the document may belong to: by number, or born the same day.

    Passengers count only on this port call's manifest; crew signed off stay (the core lets
    them walk off); other people removed from the records do not.
    """
    number = normalise_document_number(document.document_number)
    same = [func.upper(func.replace(Person.document_number, " ", "")) == number] if number else []
    if document.birth_date is not None:
        same.append(Person.date_of_birth == document.birth_date)
    if not same:
        return []
    call_id = current_port_call_id(session)
    stmt = select(Person).where(
        or_(*same),
        or_(Person.is_enabled, Person.kind == PersonKind.CREW.value),
        or_(Person.kind != PersonKind.PASSENGER.value, Person.port_call_id == call_id),
    )
    return [
        RecordHolder(
            person_id=p.id,
            kind=PersonKind(p.kind),
            family_name=p.family_name,
            given_names=p.given_names or "",
            birth_date=p.date_of_birth,
            document_number=p.document_number,
            issuing_state=p.document_issuing_state,
            nationality=p.nationality,
            is_active=p.is_enabled,
        )
        for p in session.scalars(stmt.limit(MAX_HOLDERS))
    ]
