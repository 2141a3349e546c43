"""Countries written as agencies write them (alpha-2, alpha-3, ICAO codes, names) are stored as
the 3-letter code documents print, from a list, the visitor form and the crew form alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.db.models import Person
from gangway.extensions import db
from tests.integration.test_imports import CREW_HEADER, apply
from tests.integration.test_visitors import register

COMPENDIUM_CREW = "\r\n".join(  # the IMO Compendium data set's alpha-2 codes, and names
    [
        CREW_HEADER,
        "Tremblay,Luc,Master,CA,1970-01-02,Montreal,M,Passport,AB123456,CA,2030-05-31",
        "Okafor,Chidi,AB,Nigeria,1988-11-30,Lagos,M,Seafarer ID,NG998877,NG,",
        "Schmidt,Anna,Cook,D,1979-03-09,Kiel,F,Passport,C4J9X2K7,D,2031-01-01",
        "Ivanov,Petar,Bosun,BG,1975-05-05,Varna,M,Passport,382716354,Bulgaria,2029-01-01",
        "Reyes,Ana,Oiler,Philippines (the),1990-09-09,Cebu,F,Seafarer ID,PH1,PHL,",
    ]
)


def stored(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        people = db.session.scalars(select(Person)).all()
        return {p.family_name: (p.nationality, p.document_issuing_state) for p in people}


def test_a_crew_list_in_alpha_2_codes_and_names_imports_as_alpha_3(app, client, auth):
    auth.login("sso")
    response = apply(client, "crew", COMPENDIUM_CREW, follow_redirects=True)
    assert "List imported: 5 added" in response.get_data(as_text=True)
    assert stored(app) == {
        "Tremblay": ("CAN", "CAN"),
        "Okafor": ("NGA", "NGA"),
        "Schmidt": ("DEU", "DEU"),
        "Ivanov": ("BGR", "BGR"),
        "Reyes": ("PHL", "PHL"),
    }


@pytest.mark.parametrize(("typed", "kept"), [("Norway", "NOR"), ("no", "NOR"), ("GBD", "GBD")])
def test_the_visitor_form_takes_a_name_or_code_and_keeps_the_code(app, client, auth, typed, kept):
    auth.login("sso")
    assert register(client, nationality=typed).status_code == 302
    assert next(iter(stored(app).values()))[0] == kept
