"""Countries as agencies and documents write them, read to the one code stored, and written back."""

from __future__ import annotations

import pytest

from gangway.domain.lists.countries import (
    ALPHA_2,
    ALPHA_3,
    country_code,
    country_name,
    read_country,
)

READ = [  # (as written in a list or a form, stored as)
    ("NOR", "NOR"),  # ISO 3166-1 alpha-3, as ICAO 9303 documents print it
    ("nor", "NOR"),
    ("NO", "NOR"),  # ISO 3166-1 alpha-2, as the IMO Compendium's data set codes it
    (" ca ", "CAN"),
    ("NG", "NGA"),
    ("BG", "BGR"),
    ("Philippines", "PHL"),  # English short names
    ("PHILIPPINES", "PHL"),
    ("Philippines (the)", "PHL"),
    ("Korea, Republic of", "KOR"),
    ("South Korea", "KOR"),
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d Ivoire", "CIV"),
    ("Ivory Coast", "CIV"),
    ("United Kingdom", "GBR"),
    ("UK", "GBR"),  # ISO's exceptional reservations in common use
    ("EL", "GRC"),
    ("D", "DEU"),  # ICAO 9303: German documents print D
    ("GBD", "GBD"),  # ICAO-only codes, kept as documents print them
    ("GBN", "GBN"),
    ("XXA", "XXA"),
    ("UNO", "UNO"),
    ("RKS", "RKS"),
    ("XK", "RKS"),
    ("Kosovo", "RKS"),
]
NOT_COUNTRIES = ["", "Q", "QQ", "QQQ", "D1E", "Norwegia", "=NOR", "NORW"]
WRITTEN = [  # (stored, alpha-3 export, alpha-2 export, English name)
    ("NOR", "NOR", "NO", "Norway"),
    ("DEU", "DEU", "DE", "Germany"),
    ("TWN", "TWN", "TW", "Taiwan"),
    ("GBD", "GBD", "GB", "British Overseas Territories Citizen"),
    ("RKS", "RKS", "XK", "Kosovo"),
    ("XXA", "XXA", "XXA", "Stateless person"),  # no alpha-2: the ICAO code, not a blank
    (None, "", "", ""),
]


@pytest.mark.parametrize(("written", "stored"), READ)
def test_a_country_is_read_to_its_stored_code(written, stored):
    assert read_country(written) == (stored, None)


@pytest.mark.parametrize("written", NOT_COUNTRIES)
def test_what_is_no_country_is_refused_saying_what_to_write(written):
    code, wrong = read_country(written)
    assert code is None
    assert wrong == (
        f"'{written.strip()}' is not a country: write an ISO 3166 code (NO or NOR) or the "
        "English name (Norway)."
    )


@pytest.mark.parametrize(("stored", "alpha3", "alpha2", "name"), WRITTEN)
def test_a_stored_code_is_written_as_the_export_asks(stored, alpha3, alpha2, name):
    assert country_code(stored, ALPHA_3) == alpha3
    assert country_code(stored, ALPHA_2) == alpha2
    assert country_name(stored) == name


def test_every_alpha_2_and_alpha_3_code_reads_back_to_itself():
    import pycountry

    for country in pycountry.countries:
        assert read_country(country.alpha_3) == (country.alpha_3, None)
        assert read_country(country.alpha_2) == (country.alpha_3, None)
        assert country_code(country.alpha_3, ALPHA_2) == country.alpha_2
