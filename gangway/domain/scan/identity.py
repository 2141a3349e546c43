"""Identity checks by hand and against the watch list.

ISPS Code B/9.14.1: the identity of everyone boarding is checked, by ID document where there is no
badge; B/9.12: those who cannot establish identity are denied and reported to the SSO.
A check by hand proves something only if the watch reads the number off the document shown: the
number on record is never offered first, a document of another type is refused, and a number a
character or two off (a slip of the finger) is read again before anything is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gangway.domain.codes.manifest import normalise_name
from gangway.domain.scan.reasons import WATCH_LISTED_CODE
from gangway.domain.scan.types import Reason, Severity

DOCUMENT_NOT_INSPECTED = Reason(
    "document_not_inspected", "Identity document not inspected: record its type and number."
)
DOCUMENT_MISMATCH = Reason(
    "document_mismatch", "The document shown does not match the document on record."
)
DOCUMENT_TYPE_MISMATCH = Reason(
    "document_type_mismatch", "The document shown is not the type of document on record."
)
_NOT_DOC_CHARS = re.compile(r"[^0-9A-Z]")
SHORT_NUMBER = 5  # characters: a near miss of a number this short is one slip, not two
HINT_LENGTH = 3  # last characters shown in search results, for numbers of 7 or more
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
    """A watch list entry: a document number, a name, or both, and why; and whose list it is."""

    entry_id: int
    reason: str
    family_name: str | None = None
    given_names: str | None = None
    document_number: str | None = None
    source: str = "ship"  # "fleet": the company's fleet list, set by the CSO ashore


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


def document_type_code(stored: str | None) -> str | None:
    """Return the DOCUMENT_TYPES code of a stored type, saved as a code or as its words."""
    wanted = (stored or "").strip().casefold()
    return next(
        (code for code, words in DOCUMENT_TYPES.items() if wanted in (code, words.casefold())),
        None,
    )


def check_document_type(shown: str | None, on_record: str | None) -> Reason | None:
    """Refuse a document of another type than the one on record.

    Only types both sides name from DOCUMENT_TYPES compare: a record typed in other words (an
    imported crew list's "Seaman's book") cannot say which type is wrong.
    """
    recorded, presented = document_type_code(on_record), document_type_code(shown)
    if recorded is None or presented is None or recorded == presented:
        return None
    return DOCUMENT_TYPE_MISMATCH


def edit_distance(a: str, b: str) -> int:
    """Count the typing slips between two strings: a character wrong, missed, added, or two
    neighbours swapped (optimal string alignment distance)."""
    previous, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def near_miss_slips(on_record: str | None) -> int:
    """Return how many slips still count as a near miss of this number: two, one if short.

    Two slips in a number of five characters or fewer leave too little of it the same.
    """
    return 2 if len(normalise_document_number(on_record)) > SHORT_NUMBER else 1


def is_near_miss(typed: str | None, on_record: str | None) -> bool:
    """Tell whether a typed number differs from the record by a slip or two (O for 0, a swap).

    A near miss is read again before anything is recorded; it is never taken as a match.
    """
    shown, recorded = normalise_document_number(typed), normalise_document_number(on_record)
    if not shown or not recorded or shown == recorded:
        return False
    return edit_distance(shown, recorded) <= near_miss_slips(recorded)


def document_hint(number: str | None) -> str | None:
    """Return the last characters of a number, to tell namesakes apart (None if it is short).

    Three characters tell two namesakes apart 999 times in 1,000; the four or more left are
    still read off the document, and only the whole number typed matches.
    """
    normal = normalise_document_number(number)
    return normal[-HINT_LENGTH:] if len(normal) >= HINT_LENGTH + 4 else None


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


def list_name(entry: WatchEntry) -> str:
    """Name the list an entry is on: the ship's own, or the company's fleet list ashore."""
    return "the fleet watch list (CSO ashore)" if entry.source == "fleet" else "the watch list"


def watch_listed(entry: WatchEntry, *, leaving: bool) -> Reason:
    """Return the reason shown for a watch list match (a warning when the person is leaving).

    An entry of the fleet list says so: the SSO did not put it there and cannot take it off.
    """
    which = list_name(entry)
    if leaving:
        message = f"On {which}: {entry.reason}. Tell the SSO."
        return Reason(WATCH_LISTED_CODE, message, Severity.WARNING, entry.entry_id)
    message = f"On {which}: {entry.reason}. Refuse and call the SSO."
    return Reason(WATCH_LISTED_CODE, message, Severity.REFUSAL, entry.entry_id)
