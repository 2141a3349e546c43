"""The SSO shares (or masks again) a port call's document numbers with the PFSO: page and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from gangway.db.models import AccessPoint, AuditEntry, Movement, Person, PortCall, User
from gangway.extensions import db
from gangway.services.audit.verify import verify_log
from tests.conftest import NOW, AuthActions

KIND = "port_call.document_sharing_changed"


@pytest.fixture
def crew(app, make_user):
    """Call 1 at Euromax, a PFSO of Euromax, and one boarding of a crew member with a passport."""
    sso, pfso = make_user("sso"), make_user("pfso")
    with app.app_context():
        db.session.get(User, pfso.id).facility_name = "Euromax"
        db.session.get(PortCall, 1).facility_name = "Euromax"
        person = Person(kind="crew", family_name="HANSEN", given_names="Erik",
                        document_number="P1234567")  # fmt: skip
        db.session.add(person)
        db.session.flush()
        move = Movement(
            person_id=person.id, direction="board", occurred_at=NOW - timedelta(hours=1),
            access_point_id=db.session.scalars(select(AccessPoint.id)).first(), port_call_id=1,
            method="scan", recorded_by_id=sso.id)  # fmt: skip
        db.session.add(move)
        db.session.flush()
        person.aboard_movement_id = move.id  # as a scan leaves it
        db.session.commit()


def documents_seen(client) -> set[str]:
    return {r["document_number"] for r in client.get("/api/v1/movements").get_json()["rows"]}


def sharing_entries(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.kind).where(
            AuditEntry.record_table == "port_call", AuditEntry.kind == KIND)))  # fmt: skip


def test_the_sso_shares_and_masks_document_numbers_on_the_port_call_page(app, auth, client,
                                                                         hx, crew):  # fmt: skip
    auth.login("pfso")
    assert documents_seen(client) == {"••••4567"}
    assert client.post("/sso/port-calls/1/share-documents",
                       data={"share_documents": "1"}).status_code == 403  # fmt: skip
    AuthActions(app, hx).login("sso")
    page = hx.get("/sso/port-calls/").get_data(as_text=True)
    assert "Masked for the PFSO" in page
    assert 'name="share_documents" value="1"' in page
    shared = hx.post("/sso/port-calls/1/share-documents", data={"share_documents": "1"})
    html = shared.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="port-calls-list"')
    assert "Document numbers at Rotterdam are shown to the PFSO." in html
    assert "Shown to the PFSO" in html
    assert documents_seen(client) == {"P1234567"}
    assert sharing_entries(app) == [KIND]
    hx.post("/sso/port-calls/1/share-documents", data={"share_documents": "0"})
    assert documents_seen(client) == {"••••4567"}
    hx.post("/sso/port-calls/1/share-documents", data={"share_documents": "0"})  # no change
    assert sharing_entries(app) == [KIND, KIND]
    bad = hx.post("/sso/port-calls/1/share-documents", data={"share_documents": "maybe"})
    assert 'data-field="share_documents"' in bad.get_data(as_text=True)
    assert hx.post("/sso/port-calls/99/share-documents").status_code == 404
    with app.app_context():
        assert verify_log(db.session).ok


def test_the_master_sees_whether_documents_are_shared_but_cannot_change_it(auth, client):
    auth.login("master")
    page = client.get("/sso/port-calls/").get_data(as_text=True)
    assert "Masked for the PFSO" in page
    assert "share-documents" not in page
    assert client.post("/api/v1/port-calls/1/share-documents",
                       json={"share_documents": True}).status_code == 403  # fmt: skip


def test_the_api_shares_documents_and_refuses_anything_but_true_or_false(app, auth, client,
                                                                         crew):  # fmt: skip
    auth.login("sso")
    url = "/api/v1/port-calls/1/share-documents"
    for body in ({}, {"share_documents": "true"}, {"share_documents": 1}, []):
        refused = client.post(url, json=body)
        assert refused.status_code == 400, body
    assert client.post(url, json={"share_documents": "true"}).get_json()["field"] == (
        "share_documents"
    )
    assert sharing_entries(app) == []
    assert client.post("/api/v1/port-calls/99/share-documents",
                       json={"share_documents": True}).status_code == 404  # fmt: skip
    shared = client.post(url, json={"share_documents": True})
    assert (shared.status_code, shared.get_json()["share_documents"]) == (200, True)
    assert sharing_entries(app) == [KIND]
    auth.login("pfso")
    assert documents_seen(client) == {"P1234567"}


def test_a_port_call_can_be_opened_sharing_documents(app, auth, client, hx):
    def close_all():  # straight in the database: the report a close starts is not wanted here
        with app.app_context():
            for call in db.session.scalars(select(PortCall)):
                call.departed_at = call.departed_at or NOW
            db.session.commit()

    auth.login("sso")
    close_all()
    opened = client.post("/api/v1/port-calls", json={"port_name": "Antwerp",
                                                     "share_documents": "1"})  # fmt: skip
    assert (opened.status_code, opened.get_json()["field"]) == (400, "share_documents")
    opened = client.post("/api/v1/port-calls", json={"port_name": "Antwerp",
                                                     "share_documents": True})  # fmt: skip
    assert (opened.status_code, opened.get_json()["share_documents"]) == (201, True)
    close_all()
    AuthActions(app, hx).login("sso")
    assert 'name="share_documents" value="1">' in hx.get("/sso/port-calls/").get_data(
        as_text=True
    )  # the open form's box starts unticked
    hx.post("/sso/port-calls/", data={"port_name": "Ghent", "share_documents": "1"})
    with app.app_context():
        calls = {c.port_name: c.share_documents for c in db.session.scalars(select(PortCall))}
    assert calls == {"Rotterdam": False, "Antwerp": True, "Ghent": True}
