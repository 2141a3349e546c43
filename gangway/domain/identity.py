"""Identity checks by hand and against the watch list.

ISPS Code B/9.14.1: the identity of everyone boarding is checked, by ID document where there is no
badge; B/9.12: those who cannot establish identity are denied and reported to the SSO.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .manifest import normalise_name
from .types import Reason, Severity

DOCUMENT_NOT_INSPECTED = Reason(
    "document_not_inspected", "Identity document not inspected: record its type and number."
)
DOCUMENT_MISMATCH = Reason(
    "document_mismatch", "The document shown does not match the document on record."
)
_NOT_DOC_CHARS = re.compile(r"[^0-9A-Z]")
DOCUMENT_TYPES = {  # stored code: what the watch reads
    "passport": "Passport",
    "seafarer_id": "Seafarer's ID",
    "national_id": "National ID card",
    "authority_id": "Authority ID card",
    "driving_licence": "Driving licence",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """A watch list entry: a document number, a name, or both, and why."""

    entry_id: int
    reason: str
    family_name: str | None = None
    given_names: str | None = None
    document_number: str | None = None


def normalise_document_number(number: str | None) -> str:
    """Return a document number as compared: uppercase letters and digits only."""
    return _NOT_DOC_CHARS.sub("", (number or "").upper())


def check_inspected_document(inspected: str | None, on_record: str | None) -> Reason | None:
    """Require a document number typed from the document, matching the record when there is one."""
    shown = normalise_document_number(inspected)
    if not shown:
        return DOCUMENT_NOT_INSPECTED
    if on_record and normalise_document_number(on_record) != shown:
        return DOCUMENT_MISMATCH
    return None


def find_watch_list_match(
    family_name: str, given_names: str, document_number: str | None, entries: Sequence[WatchEntry]
) -> WatchEntry | None:
    """Return the first entry naming this document, or this exact family and given names.

    A family name alone never matches: it would stop every namesake at the gangway.
    """
    doc = normalise_document_number(document_number)
    family, given = normalise_name(family_name or ""), normalise_name(given_names or "")
    for entry in entries:
        if doc and normalise_document_number(entry.document_number) == doc:
            return entry
        same_family = entry.family_name and normalise_name(entry.family_name) == family
        same_given = entry.given_names and normalise_name(entry.given_names) == given
        if same_family and same_given:
            return entry
    return None


def watch_listed(entry: WatchEntry, *, leaving: bool) -> Reason:
    """Return the reason shown for a watch list match (a warning when the person is leaving)."""
    if leaving:
        message = f"On the watch list: {entry.reason}. Tell the SSO."
        return Reason("watch_listed", message, Severity.WARNING, entry.entry_id)
    message = f"On the watch list: {entry.reason}. Refuse and call the SSO."
    return Reason("watch_listed", message, Severity.REFUSAL, entry.entry_id)
