"""Match a scanned boarding pass, booking reference or ticket number to the port call's manifest.

Rule sources: ISPS Code B/9.14.1 (identity and reason for boarding checked for everyone) and
IATA Resolution 792 for the boarding pass layout (see `bcbp`). Names on passes are uppercase
ASCII cut to 20 characters and often spelled per ICAO Doc 9303 (MÜLLER -> MUELLER), so names
are compared loosely, and only among passengers already sharing the pass's booking reference.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gangway.domain.codes.bcbp import BcbpPass, InvalidBoardingPass, is_bcbp, parse_bcbp
from gangway.domain.scan.types import Reason

MALFORMED_PASS = Reason("malformed_pass", "The boarding pass could not be read.")
NOT_ON_MANIFEST = Reason("not_on_manifest", "Boarding pass is not on this port call's manifest.")
PASS_NAME_MISMATCH = Reason(
    "pass_name_mismatch", "Name on the boarding pass does not match the manifest."
)
PASS_AMBIGUOUS = Reason(
    "pass_ambiguous", "Booking reference is shared by several passengers: check the ID by hand."
)
TICKET_AMBIGUOUS = Reason(
    "pass_ambiguous", "Ticket number is on several manifest entries: check the ID by hand."
)

ALL = (MALFORMED_PASS, NOT_ON_MANIFEST, PASS_NAME_MISMATCH, PASS_AMBIGUOUS)

# Apostrophes and dots (including the Catalan middle dot) that names are written with or without.
_DROPPED = frozenset("'\u2019\u2018\u02bc\u02bb`\u00b4.\u00b7")
# Letters that NFKD does not decompose, folded as airlines print them (ICAO Doc 9303 table).
_LETTER_FOLDS = str.maketrans(
    dict(zip("øłđðıħŧŀ", "olddihtl", strict=True)) | {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)
# ICAO Doc 9303 also spells these letters with two (MÜLLER -> MUELLER, ØRSTED -> OERSTED).
_ICAO_EXPANSIONS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe"})


class Via(enum.StrEnum):
    """Which part of the manifest a scanned text was matched on."""

    BCBP = "bcbp"
    BOOKING_REFERENCE = "booking_reference"
    TICKET_NUMBER = "ticket_number"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One passenger on the port call's manifest, as far as matching needs."""

    person_id: int
    family_name: str
    given_names: str
    booking_reference: str | None = None
    ticket_number: str | None = None


@dataclass(frozen=True, slots=True)
class ManifestMatch:
    """The outcome of a lookup; neither entry nor problem means "not a pass we know".

    `via` says what was compared: for plain text that matched nothing it is the booking reference.
    """

    entry: ManifestEntry | None
    problem: Reason | None
    via: Via
    boarding_pass: BcbpPass | None = None


def normalise_name(name: str) -> str:
    """Casefold, drop accents, spaces, hyphens, apostrophes and dots; keep letters of any script."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(
        c
        for c in decomposed
        if not (
            c.isspace()
            or c in _DROPPED
            or unicodedata.category(c) in {"Mn", "Pd"}  # combining marks, hyphens and dashes
        )
    )


def is_name_match(boarding_pass: BcbpPass, entry: ManifestEntry) -> bool:
    """Tell whether the name on a pass can be this entry's, allowing for IATA truncation.

    Both names are normalised (`normalise_name`); the entry's is also tried in its ICAO Doc 9303
    spelling. The family names must be equal, or the entry's must start with the pass's when the
    pass name fills all 20 characters (cut). The first given name of one must start with the
    other's: passes cut given names and glue titles on ("LUCMR"). A pass or entry without given
    names is matched on the family name alone.
    """
    return _name_score(boarding_pass, entry) > 0


def match_boarding_pass(text: str, manifest: Sequence[ManifestEntry]) -> ManifestMatch:
    """Find the manifest entry a scanned boarding pass, booking reference or ticket belongs to."""
    if is_bcbp(text):
        return _match_bcbp(text, manifest)
    key = _key(text)
    if not key:
        return ManifestMatch(None, None, Via.BOOKING_REFERENCE)
    booked = _distinct(e for e in manifest if _key(e.booking_reference) == key)
    if len(booked) > 1:
        return ManifestMatch(None, PASS_AMBIGUOUS, Via.BOOKING_REFERENCE)
    if booked:
        return ManifestMatch(booked[0], None, Via.BOOKING_REFERENCE)
    ticket = _ticket_key(text)
    ticketed = _distinct(e for e in manifest if ticket and _ticket_key(e.ticket_number) == ticket)
    if len(ticketed) > 1:
        return ManifestMatch(None, TICKET_AMBIGUOUS, Via.TICKET_NUMBER)
    if ticketed:
        return ManifestMatch(ticketed[0], None, Via.TICKET_NUMBER)
    return ManifestMatch(None, None, Via.BOOKING_REFERENCE)


def _match_bcbp(text: str, manifest: Sequence[ManifestEntry]) -> ManifestMatch:
    """Match a boarding pass: booking reference first, then the name among those booked."""
    try:
        boarding_pass = parse_bcbp(text)
    except InvalidBoardingPass as exc:
        return ManifestMatch(None, Reason(MALFORMED_PASS.code, str(exc)), Via.BCBP)
    pnrs = {_key(leg.pnr) for leg in boarding_pass.legs} - {""}
    booked = _distinct(e for e in manifest if _key(e.booking_reference) in pnrs)
    if not booked:
        return ManifestMatch(None, NOT_ON_MANIFEST, Via.BCBP, boarding_pass)
    scores = {e.person_id: _name_score(boarding_pass, e) for e in booked}
    best = max(scores.values())
    if best == 0:
        return ManifestMatch(None, PASS_NAME_MISMATCH, Via.BCBP, boarding_pass)
    chosen = [e for e in booked if scores[e.person_id] == best]
    if len(chosen) > 1:  # e.g. "DOE/J" and two children John and Jane on one booking
        return ManifestMatch(None, PASS_AMBIGUOUS, Via.BCBP, boarding_pass)
    return ManifestMatch(chosen[0], None, Via.BCBP, boarding_pass)


def _name_score(boarding_pass: BcbpPass, entry: ManifestEntry) -> int:
    """Score a name match: 0 none, 1 allowing for truncation, 2 the same words."""
    family = normalise_name(boarding_pass.family_name)
    given = _first_name(boarding_pass.given_names)
    families = _spellings(entry.family_name)
    givens = _spellings(_first_word(entry.given_names))
    family_ok = family in families or (
        boarding_pass.is_name_truncated and any(f.startswith(family) for f in families)
    )
    # An empty given name on either side startswith-matches, so the family name decides alone.
    given_ok = not given or any(g.startswith(given) or given.startswith(g) for g in givens)
    if not (family and family_ok and given_ok):
        return 0
    return 2 if family in families and given in givens else 1


def name_spellings(name: str) -> tuple[str, str]:
    """Return a name normalised as accents dropped and as ICAO Doc 9303 spells it (MUELLER)."""
    return _spellings(name)


def _spellings(name: str) -> tuple[str, str]:
    """Return a manifest name normalised as accents dropped and as ICAO Doc 9303 spells it."""
    folded = unicodedata.normalize("NFC", name).casefold()
    return (
        normalise_name(folded.translate(_LETTER_FOLDS)),
        normalise_name(folded.translate(_ICAO_EXPANSIONS).translate(_LETTER_FOLDS)),
    )


def _first_word(names: str) -> str:
    """Return the first of space-separated given names, or "" when there are none."""
    words = names.split()
    return words[0] if words else ""


def _first_name(names: str) -> str:
    """Return the pass's first given name, normalised."""
    return normalise_name(_first_word(names))


def _key(value: str | None) -> str:
    """Return a booking reference as compared: stripped and casefolded."""
    return (value or "").strip().casefold()


def _ticket_key(value: str | None) -> str:
    """Return a ticket number as compared: without the spaces and hyphens people type."""
    return "".join(c for c in _key(value) if not c.isspace() and c != "-")


def _distinct(entries: Iterable[ManifestEntry]) -> list[ManifestEntry]:
    """Return entries once per person, the first of each in manifest order."""
    seen: dict[int, ManifestEntry] = {}
    for entry in entries:
        seen.setdefault(entry.person_id, entry)
    return list(seen.values())
