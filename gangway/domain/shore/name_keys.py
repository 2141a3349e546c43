"""The keys a fleet-wide search of people compares (issue 17 point 4): a person's name as a set
of words and their document number, kept ashore with each record, and a typed query read alike.

Names are folded as the ship folds them (gangway.domain.codes.manifest.normalise_name: any case,
accents dropped) and also in their ICAO Doc 9303 spelling (MÜLLER -> MUELLER, as a passport's
zone writes it), so a name typed from a passport finds the record typed by hand on another ship.
Words compare in any order, and a word joined by a hyphen or apostrophe is also kept in its
parts (MÜLLER-LÜDENSCHEIDT is found by "muller ludenscheidt" and by "mullerludenscheidt").
Document numbers compare as on board (identity.normalise_document_number).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gangway.domain.codes.manifest import name_spellings
from gangway.domain.scan.identity import normalise_document_number

MAX_QUERY = 200  # characters: a name or a document number is far shorter
MAX_WORDS = 8
DOCUMENT_MIN = 4  # characters of a document number: fewer would match half the fleet
DOCUMENT_MAX = 64  # the ship's column width
_PARTS = re.compile(r"[^\w]+")  # what joins a word's parts: hyphens, apostrophes, dots
# ICAO's two-letter spellings of Ä, Ö, Ü read back as one letter: a name written MUELLER on one
# ship and Muller (no accent typed) on another are found by either (Michael by "Michal" too: a
# search may show a few more names, never miss the person).
_TWO_LETTERS = re.compile(r"(?<=[aou])e")


class BadQuery(ValueError):
    """A query that cannot be searched; the message says what to type."""


@dataclass(frozen=True, slots=True)
class Word:
    """A typed word: its spellings whole, or (a joined word) all its parts in their spellings."""

    whole: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """A search as typed: a document number, or the words of a name (all must be found)."""

    text: str
    document: str | None = None
    words: tuple[Word, ...] = ()


def name_key(family_name: object, given_names: object) -> str | None:
    """Return the words a record's name is found by, sorted, space-separated (None: no name)."""
    text = " ".join(part for part in (family_name, given_names) if isinstance(part, str))
    return _name_key(text)


@lru_cache(maxsize=65536)  # the ingest meets the same crew's names in movement after movement
def _name_key(text: str) -> str | None:
    words: set[str] = set()
    for word in unicodedata.normalize("NFC", text).split():  # NFC: a decomposed accent is no gap
        words |= _spellings(word)
        parts = [p for p in _PARTS.split(word) if p]
        if len(parts) > 1:
            for part in parts:
                words |= _spellings(part)
    return " ".join(sorted(words)) or None


def document_key(number: object) -> str | None:
    """Return a document number as the search compares it (None when there is none)."""
    key = normalise_document_number(number) if isinstance(number, str) else ""
    return key[:DOCUMENT_MAX] or None


def parse_query(text: object) -> Query:
    """Read what the CSO typed: a document number if it holds a digit, else a name.

    :raises BadQuery: nothing to search, or a query too long to be a name or a number.
    """
    typed = text.strip() if isinstance(text, str) else ""
    if not typed:
        raise BadQuery("Type a name (family and given names, in any order) or a document number.")
    if len(typed) > MAX_QUERY:
        raise BadQuery(f"Type at most {MAX_QUERY} characters: a name or a document number.")
    if any(c.isdigit() for c in typed):
        number = normalise_document_number(typed)
        if not DOCUMENT_MIN <= len(number) <= DOCUMENT_MAX:
            raise BadQuery(
                f"A document number has {DOCUMENT_MIN} to {DOCUMENT_MAX} letters and digits; "
                "a name has no digits."
            )
        return Query(typed, document=number)
    words = tuple(dict.fromkeys(w for w in map(_word, typed.split()) if w.whole))
    if not words:
        raise BadQuery("Type a name with letters, or a document number.")
    if len(words) > MAX_WORDS:
        raise BadQuery(f"Type at most {MAX_WORDS} words of the name.")
    return Query(typed, words=words)


def tsquery(query: Query) -> str:
    """Return the words of a name query as a PostgreSQL tsquery: each word in any spelling,
    a joined word (O'Brien, Müller-Lüdenscheidt) whole or as its parts."""
    return " & ".join(_tsword(w) for w in query.words)


def _tsword(word: Word) -> str:
    either = " | ".join(f"'{s}'" for s in sorted(word.whole))
    if word.parts:
        parts = ("(" + " | ".join(f"'{s}'" for s in sorted(p)) + ")" for p in word.parts)
        either += " | (" + " & ".join(parts) + ")"
    return f"({either})"


def _word(typed: str) -> Word:
    parts = [_spellings(p) for p in _PARTS.split(unicodedata.normalize("NFC", typed)) if p]
    parts = [p for p in parts if p]
    return Word(_spellings(typed), tuple(parts) if len(parts) > 1 else ())


def person_key(family_name: object, given_names: object) -> str | None:
    """Return a full name as compared to tell one person from another: its words in ICAO
    spelling read back to one letter, sorted (MUELLER, Müller and Muller agree)."""
    text = " ".join(part for part in (family_name, given_names) if isinstance(part, str))
    return _person_key(text)


@lru_cache(maxsize=65536)  # a search meets the same names in record after record
def _person_key(text: str) -> str | None:
    words = sorted(w for w in (_reduced(name_spellings(word)[1]) for word in text.split()) if w)
    return " ".join(words) or None


def _spellings(word: str) -> frozenset[str]:
    """Return a word folded as the ship folds names, in both spellings and with ICAO's two
    letters read as one (letters and digits only)."""
    plain, icao = name_spellings(word)
    return frozenset(w for w in (_alnum(plain), _alnum(icao), _reduced(icao)) if w)


def _reduced(word: str) -> str:
    return _TWO_LETTERS.sub("", _alnum(word))


def _alnum(word: str) -> str:
    # Only letters and digits reach the tsvector and tsquery: nothing there is syntax.
    return "".join(c for c in word if c.isalnum())
