"""The CSO's fleet-wide search (issue 17 point 4), on PostgreSQL: ships send their records as
their senders do (verified chains); the CSO finds a person refused on one ship who then boarded
another, by a name typed in another spelling, order and case, and sees the case marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from gangway.db.models import ShoreRecord
from gangway.domain.records.audit_chain import digest, next_entry
from gangway.extensions import db
from gangway.web.openapi.document import openapi_document
from tests.support.shore import AT, _wire, add_test_ship, batch, dispose, send, shore_app

pytestmark = pytest.mark.shore
DOC = "P1234567"


def records(*rows: tuple[str, int, dict]) -> list[dict]:
    """Return a ship's chain from genesis carrying these (table, id, content) records."""
    out, head = [], None
    for seq, (table, record_id, content) in enumerate(rows, 1):
        fields = sorted(content)
        value = digest({f: content[f] for f in fields})
        e = next_entry(
            head, f"{table}.recorded", table, record_id, value, AT + timedelta(seconds=seq)
        )
        out.append(_wire(e) | {"payload": None, "fields": fields, "content": content})
        head = (e.seq, e.entry_hash)
    return out


def at(days: int) -> str:
    return (AT + timedelta(days=days)).isoformat(timespec="microseconds")


def call(port: str, unlocode: str, arrived: int) -> dict:
    return {"port_name": port, "unlocode": unlocode, "facility_name": "Terminal 1",
            "arrived_at": at(arrived), "timezone": "Europe/Berlin"}  # fmt: skip


def person(family: str, given: str, document: str, created: int, kind: str = "visitor") -> dict:
    return {"kind": kind, "family_name": family, "given_names": given,
            "document_number": document, "created_at": at(created)}  # fmt: skip


def crossing(table: str, person_id, family, given, document, day: int, call_id: int, **more):
    return {"person_id": person_id, "person_family_name": family, "person_given_names": given,
            "person_document_number": document, "person_kind": "visitor", "direction": "board",
            "occurred_at": at(day), "port_call_id": call_id, **more}  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """Three ships: Aurora refused Müller-Lüdenscheidt (no person on record, the document typed),
    Borealis registered him from his passport's zone two days later and he boarded; Caledonia has
    a namesake with another passport, seen before the refusal."""
    app = shore_app(tmp_path_factory.mktemp("fleet-search"))
    client = app.test_client()
    ships = {}
    refused = crossing("refusal", None, "Müller-Lüdenscheidt", "Hans Peter", "P 123 4567", 1,
                       40, reason_code="watch_listed")  # fmt: skip
    name = "MUELLER LUEDENSCHEIDT", "HANS PETER"  # as a passport's zone writes it
    chains = {
        "MV Aurora": [("port_call", 40, call("Rotterdam", "NLRTM", 0)), ("refusal", 1, refused)],
        "MV Borealis": [
            ("port_call", 7, call("Hamburg", "DEHAM", 2)),
            ("person", 9, person(*name, DOC, 3, "contractor")),
            ("movement", 3, crossing("movement", 9, *name, DOC, 3, 7)),
        ],
        "MV Caledonia": [
            ("person", 2, person("Muller", "Hans", "C9876543", 0)),
            ("movement", 5, crossing("movement", 2, "Muller", "Hans", "C9876543", 0, None)),
        ],
    }  # fmt: skip
    for name, rows in chains.items():
        imo, token = add_test_ship(app, name)
        answer = send(client, token, batch(imo, records(*rows)))
        assert answer.status_code == 200, answer.get_data(as_text=True)
        ships[name] = imo
    app.config["SHIPS"] = ships
    yield app
    dispose(app)


def test_a_person_refused_on_one_ship_then_boarding_another_is_found_and_marked(app, client, auth):
    auth.login("cso")
    ships = app.config["SHIPS"]
    found = client.get("/api/v1/fleet/search", query_string={"q": "Hans MUELLER"})
    assert found.status_code == 200, found.get_data(as_text=True)
    persons = found.get_json()["persons"]
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
    assert f'href="/fleet/#ship-{ships["MV Borealis"]}"' in text
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
