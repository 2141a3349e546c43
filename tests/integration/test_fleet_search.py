"""The CSO's fleet-wide search (issue 17 point 4), on PostgreSQL: ships send their records as
their senders do (verified chains); the CSO finds a person refused on one ship who then boarded
another, by a name typed in another spelling, order and case, and sees the case marked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.db.models import ShoreRecord
from gangway.extensions import db
from gangway.web.openapi.document import openapi_document
from tests.support.fleet_search import DOC, send_fleet
from tests.support.shore import dispose, shore_app

pytestmark = pytest.mark.shore


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The shore with three ships' records (tests/support/fleet_search.py)."""
    app = shore_app(tmp_path_factory.mktemp("fleet-search"))
    app.config["SHIPS"] = send_fleet(app)
    yield app
    dispose(app)


def test_a_person_refused_on_one_ship_then_boarding_another_is_found_and_marked(app, client, auth):
    auth.login("cso")
    ships = app.config["SHIPS"]
    found = client.get("/api/v1/fleet/search", query_string={"q": "Hans MUELLER"})
    assert found.status_code == 200, found.get_data(as_text=True)
    persons = found.get_json()["persons"]
    assert found.get_json()["found"] == 2
    assert len(persons) == 2  # him, and the namesake with another passport, apart
    him, namesake = persons
    assert him["documents"] == [DOC]  # the CSO sees the company's own records whole
    (case,) = him["refused_then_seen"]
    assert (case["refused_on"]["imo"], case["then_on"]["imo"]) == (
        ships["MV Aurora"],
        ships["MV Borealis"],
    )
    assert case["reason"] == "On the watch list"  # in words, never the code
    assert case["then"] == "registered as contractor"
    lines = {(ln["ship"]["name"], ln["what"]): ln for ln in him["lines"]}
    assert lines["MV Borealis", "movement"]["boarded"] == 1
    assert lines["MV Borealis", "movement"]["last_at"] > case["refused_at"]  # read from columns
    assert lines["MV Borealis", "movement"]["after_refusal_on"]["name"] == "MV Aurora"
    assert lines["MV Borealis", "movement"]["port_call"]["unlocode"] == "DEHAM"
    assert lines["MV Aurora", "refusal"]["after_refusal_on"] is None
    assert namesake["documents"] == ["C9876543"]
    assert namesake["refused_then_seen"] == []

    by_document = client.get("/api/v1/fleet/search?q=p-1234567").get_json()["persons"]
    assert [len(p["lines"]) for p in by_document] == [3]  # refusal, registration, boarding

    page = client.get("/fleet/search", query_string={"q": "lüdenscheidt-MÜLLER hans peter"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="refused-elsewhere"' in text
    assert "watch_listed" not in text
    assert "refused on <strong>MV Aurora</strong>" in text
    assert "After a refusal on MV Aurora" in text
    assert f'href="/ships/{ships["MV Borealis"]}/"' in text  # its port calls
    assert f'href="/ships/{ships["MV Borealis"]}/log?port_call=7"' in text  # the call's log
    fragment = client.get("/fleet/search?q=hans", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).startswith('<div id="fleet-search-results"')
    assert "HX-Request" in fragment.headers["Vary"]
    auth.login("admin")
    assert client.get("/api/v1/fleet/search?q=hans").status_code == 200


def test_a_pfso_ashore_may_not_search_the_fleet(app, client, auth):
    auth.login("pfso")
    assert client.get("/api/v1/fleet/search?q=hans").status_code == 403
    assert client.get("/fleet/search?q=hans").status_code == 403
    assert "/fleet/search" in openapi_document(shore=True)["paths"]
    assert "/fleet/search" not in openapi_document()["paths"]


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("", 400, "Type a name"),
        ("   ", 400, "Type a name"),
        ("x" * 500, 400, "at most 200 characters"),
        ("12", 400, "document number has 4 to 64"),
        ("&&& |||", 400, "Type a name with letters"),
        ("'; DROP TABLE shore_record; --", 200, "No one found"),
        ("hans % _ \\ ' :*", 200, "people found"),
    ],
)
def test_bad_queries_get_a_clear_message_and_change_nothing(
    app, client, auth, query, status, words
):
    auth.login("cso")
    with app.app_context():
        held = db.session.scalar(select(func.count()).select_from(ShoreRecord))
    page = client.get("/fleet/search", query_string={"q": query})
    assert (page.status_code, words in page.get_data(as_text=True)) == (status, True)
    api = client.get("/api/v1/fleet/search", query_string={"q": query})
    assert api.status_code == status
    if status == 400:
        assert api.get_json()["field"] == "q"
        assert words in api.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShoreRecord)) == held
