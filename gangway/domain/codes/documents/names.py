"""Write a person's name as a machine-readable zone prints it.

Rule source: ICAO Doc 9303 part 3 (8th edition, 2021), section 6: the transliteration of
multinational Latin-based characters (Ä as AE, Ø as OE, ß as SS, Þ as TH...), other diacritics
dropped; apostrophes omitted, hyphens and spaces between components written as "<".
"""

from __future__ import annotations

import unicodedata

# 9303 part 3, table of transliterations where dropping the diacritic is not the rule.
_LATIN = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Œ": "OE",
    "Ĳ": "IJ",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ł": "L",
    "Ŀ": "L",
    "Ŧ": "T",
    "Ŋ": "N",
    "İ": "I",
}
_SEPARATORS = frozenset(" -‐‑")  # what becomes "<" between a name's components
_OMITTED = frozenset("'’ʼ.,")  # 9303: punctuation is left out of the zone


def transliterate(name: str) -> str:
    """Return a name in the zone's letters: upper case A-Z and "<" between its components."""
    out = []
    for char in name.upper():
        if char in _SEPARATORS:
            out.append("<")
        elif char in _OMITTED:
            continue
        elif char in _LATIN:
            out.append(_LATIN[char])
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append("".join(c for c in plain if "A" <= c <= "Z"))
    return "<".join(part for part in "".join(out).split("<") if part)


def zone_name(family_name: str, given_names: str, width: int) -> str:
    """Return the name field of a zone `width` characters wide, cut at the width if too long."""
    family, given = transliterate(family_name), transliterate(given_names)
    name = f"{family}<<{given}" if given else family
    return name[:width].ljust(width, "<")
