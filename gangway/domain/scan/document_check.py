"""Check ID at the gangway: what a document read from a photo proves, before the scan rules.

Rule sources: ISPS Code Part B, B/9.14.1 (at level 1 the identity of everyone boarding is
checked, by an identity document where there is no badge), B/9.12 (those who cannot establish
their identity are denied access and the attempt is reported to the SSO), B/9.11 (only valid
identification counts). ICAO Doc 9303 parts 3-7 for what a zone's check digits prove.

The reader alone never lets anyone through on a document that did not read whole, whose check
digits fail, or that has expired: the watch re-takes the photo or checks it by hand. A document
that reads is matched to the records: by its number and its issuing state (or nationality),
then, more weakly, by name and birth date, which the watch confirms by comparing the faces.
No match: not registered, refused (the SSO registers them). Once matched, the person is decided
by the scan core like any other check (decide_scan, credential ID_DOCUMENT).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gangway.domain.codes.documents.document import AAMVA_FORMAT, RETAKE, IdentityDocument
from gangway.domain.codes.manifest import normalise_name
from gangway.domain.scan.identity import (
    DOCUMENT_MISMATCH,
    WatchEntry,
    find_watch_list_match,
    normalise_document_number,
    watch_listed,
)
from gangway.domain.scan.types import PersonKind, Reason

NOT_REGISTERED = Reason(
    "not_registered",
    "Not registered: no visitor, crew member, passenger or authority on record holds this"
    " document. Refuse and call the SSO to register them.",
)
AMBIGUOUS = Reason(
    "document_ambiguous",
    "Several people on record match this document. Check the ID by hand.",
)


def document_expired(expired_on: date) -> Reason:
    """Return the refusal for a document past its expiry date (B/9.11: only valid IDs count)."""
    return Reason(
        "document_expired",
        f"The document expired on {expired_on.isoformat()}: it does not prove identity. {RETAKE}",
    )


@dataclass(frozen=True, slots=True)
class RecordHolder:
    """A person on record whom the document might belong to (loaded by number or by name)."""

    person_id: int
    kind: PersonKind
    family_name: str
    given_names: str = ""
    birth_date: date | None = None
    document_number: str | None = None
    issuing_state: str | None = None  # of the document on record
    nationality: str | None = None
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """What the document proves.

    `retake`: it did not read whole (nothing is decided or recorded; the watch re-takes the photo
    or checks by hand). `problem`: refused before any scan rule (recorded as a refusal, for
    `person_id` when known). Otherwise `person_id` is decided by the scan core, once the watch
    has compared the faces when `confirm` (matched by name and birth date only).
    """

    retake: Reason | None = None
    problem: Reason | None = None
    person_id: int | None = None
    confirm: bool = False


def check_document(
    document: IdentityDocument,
    today: date,
    watch_list: Sequence[WatchEntry],
    holders: Sequence[RecordHolder],
) -> DocumentCheck:
    """Decide what a document read from a photo proves, and whom it matches on record."""
    if not document.valid:
        return DocumentCheck(retake=document.problem)
    strong, weak = match_holders(document, holders)
    person_id = strong[0].person_id if len(strong) == 1 else None
    if document.expiry_date is not None and document.expiry_date < today:
        return DocumentCheck(problem=document_expired(document.expiry_date), person_id=person_id)
    if len(strong) > 1:
        return DocumentCheck(problem=AMBIGUOUS)
    if strong:
        return DocumentCheck(person_id=person_id)
    listed = find_watch_list_match(
        document.family_name, document.given_names, document.document_number, watch_list
    )
    if listed is not None:  # not registered, and on the watch list: the SSO must hear which
        return DocumentCheck(problem=watch_listed(listed, leaving=False))
    if len(weak) == 1:
        return _weak_match(document, weak[0])
    return DocumentCheck(problem=AMBIGUOUS if weak else NOT_REGISTERED)


def _weak_match(document: IdentityDocument, holder: RecordHolder) -> DocumentCheck:
    """Ask the watch to compare the faces, unless the record holds another document number.

    Another number on record refuses at once, as a check by hand would: the SSO updates the
    record (a renewed passport) and nobody waits for a comparison that cannot let them through.
    """
    if normalise_document_number(holder.document_number):
        return DocumentCheck(problem=DOCUMENT_MISMATCH, person_id=holder.person_id)
    return DocumentCheck(person_id=holder.person_id, confirm=True)


def match_holders(
    document: IdentityDocument, holders: Sequence[RecordHolder]
) -> tuple[list[RecordHolder], list[RecordHolder]]:
    """Split the records into strong matches (number and state) and weak ones (name and birth).

    A record without an issuing state or nationality matches on the number alone; one whose
    state differs does not (two states may issue the same number). A weak match needs the full
    name and a birth date on both sides: a name alone would stop every namesake at the gangway.
    """
    number = normalise_document_number(document.document_number)
    states = {document.issuing_state, document.nationality} - {""}
    strong, weak = [], []
    for holder in holders:
        recorded = {holder.issuing_state, holder.nationality} - {None, ""}
        same_number = number and normalise_document_number(holder.document_number) == number
        if same_number and (not recorded or recorded & states):
            strong.append(holder)
        elif _same_name_and_birth(document, holder):
            weak.append(holder)
    return strong, weak


def _same_name_and_birth(document: IdentityDocument, holder: RecordHolder) -> bool:
    if document.birth_date is None or holder.birth_date != document.birth_date:
        return False
    family = normalise_name(document.family_name)
    given = normalise_name(document.given_names)
    return (
        bool(family)
        and normalise_name(holder.family_name) == family
        and normalise_name(holder.given_names) == given
    )


def document_type_of(document: IdentityDocument) -> str:
    """Return the DOCUMENT_TYPES code of a read document (ICAO's first letter, or AAMVA's)."""
    if document.format == AAMVA_FORMAT:
        return "driving_licence" if document.document_type == "DL" else "national_id"
    first = document.document_type[:1]
    return {"P": "passport", "I": "national_id", "A": "national_id", "C": "national_id"}.get(
        first, "seafarer_id" if first == "S" else "other"
    )
