"""Countries as lists and documents write them, stored one way: the 3-letter code documents print.

Crew and passenger lists come with ISO 3166-1 alpha-2 codes (the IMO Compendium's data set,
FAL.5/Circ.44), alpha-3 codes (ICAO Doc 9303 machine-readable documents), or English names.
Each is read to the ISO alpha-3 code, or to ICAO 9303 Part 3's own code where ISO has none
(British nationals' categories, UN documents, stateless persons and refugees, Kosovo).
Germany's documents print "D": read, it is stored as DEU like every other ISO country.
Codes and names come from pycountry (the ISO 3166 data Debian and Python tools maintain).
"""

from __future__ import annotations

import unicodedata

import pycountry

ALPHA_2, ALPHA_3 = "alpha-2", "alpha-3"
FORMS = (ALPHA_3, ALPHA_2)

# ICAO Doc 9303 Part 3, section 5: codes documents print that ISO 3166-1 has not assigned.
ICAO_ONLY = {
    "GBD": ("British Overseas Territories Citizen", "GB"),
    "GBN": ("British National (Overseas)", "GB"),
    "GBO": ("British Overseas Citizen", "GB"),
    "GBP": ("British Protected Person", "GB"),
    "GBS": ("British Subject", "GB"),
    "EUE": ("European Union", None),
    "RKS": ("Kosovo", "XK"),
    "UNA": ("United Nations specialized agency", None),
    "UNK": ("United Nations Interim Administration Mission in Kosovo", None),
    "UNO": ("United Nations Organization", None),
    "XBA": ("African Development Bank", None),
    "XCC": ("Caribbean Community", None),
    "XCE": ("Council of Europe", None),
    "XCO": ("Common Market for Eastern and Southern Africa", None),
    "XDC": ("Southern African Development Community", None),
    "XEC": ("Economic Community of West African States", None),
    "XES": ("Organisation of Eastern Caribbean States", None),
    "XIM": ("African Export-Import Bank", None),
    "XMP": ("Parliamentary Assembly of the Mediterranean", None),
    "XOM": ("Sovereign Military Order of Malta", None),
    "XPO": ("Interpol", None),
    "XXA": ("Stateless person", None),
    "XXB": ("Refugee (1951 Convention)", None),
    "XXC": ("Refugee (other)", None),
    "XXX": ("Unspecified nationality", None),
}
# Codes and names in common use that ISO does not list as such.
ALIASES = {
    "D": "DEU",  # ICAO 9303: German documents
    "UK": "GBR",  # ISO 3166 exceptionally reserved
    "EL": "GRC",  # ISO 3166 exceptionally reserved (EU usage)
    "XK": "RKS",  # user-assigned, used for Kosovo
    "KOSOVO": "RKS",
    "RUSSIA": "RUS",
    "TURKEY": "TUR",
    "IVORY COAST": "CIV",
    "CAPE VERDE": "CPV",
    "MICRONESIA": "FSM",
    "BURMA": "MMR",
    "SWAZILAND": "SWZ",
    "MACEDONIA": "MKD",
    "CZECH REPUBLIC": "CZE",
    "GREAT BRITAIN": "GBR",
    "HOLLAND": "NLD",
    "UNITED STATES OF AMERICA": "USA",
    "VATICAN": "VAT",
    "BRUNEI": "BRN",
    "PALESTINE": "PSE",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "COD",
    "DR CONGO": "COD",
    "REPUBLIC OF THE CONGO": "COG",
    "EAST TIMOR": "TLS",
    "SAINT KITTS AND NEVIS": "KNA",
    "SAINT VINCENT AND THE GRENADINES": "VCT",
    "SAINT LUCIA": "LCA",
}


_NAME_MARKS = set(" '’.,()-&")  # what a country's name may hold besides letters


def _key(text: str) -> str | None:
    """Fold case, accents, punctuation, spacing and a leading or trailing "the" ("Côte d'Ivoire",
    "COTE D IVOIRE"; "Philippines (the)", "The Philippines"); None for what no name holds."""
    if any(not (c.isalpha() or c in _NAME_MARKS) for c in text):
        return None
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.upper()).split()
    if len(words) > 1 and words[0] == "THE":
        words = words[1:]
    if len(words) > 1 and words[-1] == "THE":
        words = words[:-1]
    return " ".join(words)


def _index() -> dict[str, str]:
    found: dict[str, str] = {}
    for country in pycountry.countries:
        found[country.alpha_3] = country.alpha_3
        found[country.alpha_2] = country.alpha_3
        for attribute in ("name", "official_name", "common_name"):
            if name := getattr(country, attribute, None):
                found.setdefault(_key(name), country.alpha_3)
    for code, (name, _) in ICAO_ONLY.items():
        found[code] = code
        found.setdefault(_key(name), code)
    found.update({_key(alias): code for alias, code in ALIASES.items()})
    return found


_CODES = _index()
_ALPHA_2 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
_NAMES = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def read_country(value: str) -> tuple[str | None, str | None]:
    """Return (the stored 3-letter code, None), or (None, why the value is not a country)."""
    key = _key(value)
    code = _CODES.get(key) if key else None
    if code is not None:
        return code, None
    shown = value.strip()[:30]
    return None, (
        f"'{shown}' is not a country: write an ISO 3166 code (NO or NOR) or the English name "
        "(Norway)."
    )


def country_code(stored: str | None, form: str = ALPHA_3) -> str:
    """Return a stored code as `form` asks: alpha-2 where one exists, else the stored code."""
    if not stored:
        return ""
    if form == ALPHA_2:
        return _ALPHA_2.get(stored) or (ICAO_ONLY.get(stored, ("", None))[1] or stored)
    return stored


def country_name(stored: str | None) -> str:
    """Return the English short name of a stored code ("" if none, the code if unknown)."""
    if not stored:
        return ""
    return _NAMES.get(stored) or ICAO_ONLY.get(stored, (stored, None))[0]
