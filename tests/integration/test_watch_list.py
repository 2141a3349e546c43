"""The SSO's watch list (B/9.12): entries added and removed, and what the gangway does with them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, Refusal, User, WatchListEntry
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.people.watch_list import add_entry, list_entries, remove_entry
from tests.conftest import NOW

HX = {"HX-Request": "true"}
LIST = "/sso/watch-list/"


def entries(app, *, include_removed=True) -> list[WatchListEntry]:
    with app.app_context():
        rows = list_entries(db.session, include_removed=include_removed)
        db.session.expunge_all()
        return rows


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def listed(app, make_user):
    """Return `listed(**fields)`: put an entry on the watch list as the SSO; return its id."""
    sso = make_user("sso", username="list-sso")

    def add(**fields) -> int:
        values = {"family_name": None, "given_names": None, "document_number": None}
        values |= {"reason": "Stowaway attempt", **fields}
        with app.app_context():
            return add_entry(db.session, **values, user=sso, now=NOW).id

    return add


def test_sso_adds_an_entry_by_document_number(app, auth, client):
    auth.login("sso")
    response = client.post(
        LIST, data={"document_number": "  X1234567 ", "reason": " Forged crew papers "}
    )
    assert response.status_code == 302
    assert response.location.endswith(LIST)
    [entry] = entries(app)
    assert (entry.document_number, entry.reason) == ("X1234567", "Forged crew papers")
    assert (entry.family_name, entry.given_names, entry.removed_at) == (None, None, None)
    assert entry.created_by_id is not None
    page = client.get(LIST).get_data(as_text=True)
    assert "X1234567" in page
    assert "Forged crew papers" in page
    assert "Added to the watch list" in page  # the flash after the redirect


def test_sso_adds_an_entry_by_name_with_htmx_and_gets_the_list_back(app, auth, client):
    auth.login("sso")
    data = {"family_name": "Novak", "given_names": "Petr", "reason": "Barred by the PFSO"}
    response = client.post(LIST, data=data, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="watch-list-entries"')
    assert "HX-Request" in response.headers["Vary"]
    assert "Novak, Petr" in html
    [entry] = entries(app)
    assert (entry.family_name, entry.given_names, entry.document_number) == ("Novak", "Petr", None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"family_name": "NOVAK", "reason": "Barred"}, "document_number"),
        ({"given_names": "Petr", "reason": "Barred"}, "document_number"),
        ({"document_number": " - / ", "reason": "Barred"}, "document_number"),
        ({"family_name": "...", "given_names": "Petr", "reason": "Barred"}, "document_number"),
        ({"document_number": "X1234567", "reason": "   "}, "reason"),
        ({"document_number": "X" * 65, "reason": "Barred"}, "document_number"),
        ({"document_number": "X1234567", "reason": "r" * 256}, "reason"),
    ],
    ids=["family-only", "given-only", "no-digits", "no-letters", "no-reason", "long-doc", "long"],
)
def test_incomplete_entries_are_refused_and_nothing_is_written(app, auth, client, data, field):
    auth.login("sso")
    page = client.post(LIST, data=data)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "<html" in html
    assert f'data-field="{field}"' in html
    fragment = client.post(LIST, data=data, headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert f'data-field="{field}"' in fragment.get_data(as_text=True)
    assert count(app, WatchListEntry) == 0


def test_the_form_keeps_what_was_typed_after_a_refusal(auth, client):
    auth.login("sso")
    html = client.post(LIST, data={"family_name": "NOVAK", "reason": "Barred"}).get_data(
        as_text=True
    )
    assert 'value="NOVAK"' in html
    assert "a family name alone would stop every namesake" in html


def test_sso_removes_an_entry_and_a_second_removal_is_refused(app, auth, client, listed):
    entry_id = listed(document_number="X1234567")
    auth.login("sso")
    response = client.post(f"{LIST}{entry_id}/remove")
    assert response.status_code == 302
    [entry] = entries(app)
    assert entry.removed_at is not None
    assert entry.removed_by_id is not None
    assert entries(app, include_removed=False) == []
    assert "X1234567" not in client.get(LIST).get_data(as_text=True).split("<table")[1]

    again = client.post(f"{LIST}{entry_id}/remove", headers=HX)
    assert again.status_code == 200
    assert "already removed" in again.get_data(as_text=True)
    assert client.post(f"{LIST}{entry_id}/remove").status_code == 400
    assert client.post(f"{LIST}999/remove").status_code == 404


def test_removing_twice_through_the_service_is_bad_input(app, listed, make_user):
    entry_id = listed(document_number="X1234567")
    sso = make_user("sso", username="other-sso")
    with app.app_context():
        remove_entry(db.session, entry_id, user=sso, now=NOW)
        with pytest.raises(BadInput, match="already removed"):
            remove_entry(db.session, entry_id, user=sso, now=NOW)


def test_watch_listed_person_with_a_badge_is_refused_and_the_refusal_names_the_entry(
    app, auth, client, make_person, make_badge, listed
):
    person_id = make_person(family="NOVAK", given="Petr", document_number="X-123 4567")
    code = make_badge(person_id)
    entry_id = listed(document_number="x1234567", reason="Stowaway attempt")
    auth.login("watch")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers=HX
    ).get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert 'data-code="watch_listed"' in html
    assert "Stowaway attempt" in html
    with app.app_context():
        refusal = db.session.scalars(select(Refusal)).one()
        assert (refusal.reason_code, refusal.watch_list_entry_id) == ("watch_listed", entry_id)
        assert refusal.person_id == person_id
    assert count(app, Movement) == 0


def test_watch_listed_person_may_leave_but_the_departure_is_flagged(
    app, auth, client, make_person, make_badge, listed
):
    code = make_badge(make_person(family="Novák", given="Petr"))
    listed(family_name="NOVAK", given_names="petr")
    auth.login("watch")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "depart"}, headers=HX
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert 'data-code="watch_listed"' in html
    with app.app_context():
        movement = db.session.scalars(select(Movement)).one()
        assert "watch_listed" in movement.flags.split(",")
    assert count(app, Refusal) == 0


def test_a_removed_entry_no_longer_refuses(app, auth, client, make_person, make_badge, listed):
    code = make_badge(make_person(document_number="X1234567"))
    entry_id = listed(document_number="X1234567")
    auth.login("sso")
    client.post(f"{LIST}{entry_id}/remove")
    html = client.post(
        "/watch/scan", data={"code": code, "direction": "board"}, headers=HX
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert count(app, Refusal) == 0


def test_master_reads_the_list_but_cannot_change_it(app, auth, client, listed):
    entry_id = listed(document_number="X1234567")
    auth.login("master")
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "X1234567" in html
    assert 'name="reason"' not in html
    assert "/remove" not in html
    assert client.post(LIST, data={"document_number": "Y1", "reason": "x"}).status_code == 403
    assert client.post(f"{LIST}{entry_id}/remove").status_code == 403
    assert len(entries(app, include_removed=False)) == 1


@pytest.mark.parametrize("role", ["pfso", "watch", "admin"])
def test_other_roles_are_kept_off_the_sso_pages(app, auth, client, listed, role):
    entry_id = listed(document_number="X1234567")
    auth.login(role)
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, data={"document_number": "Y1", "reason": "x"}).status_code == 403
    assert client.post(f"{LIST}{entry_id}/remove").status_code == 403
    assert count(app, WatchListEntry) == 1


def test_the_service_records_who_added_and_when(app, listed):
    entry_id = listed(family_name=" Novak ", given_names=" Petr ", reason=" Barred ")
    with app.app_context():
        entry = db.session.get(WatchListEntry, entry_id)
        user = db.session.get(User, entry.created_by_id)
        assert (entry.family_name, entry.given_names, entry.reason) == ("Novak", "Petr", "Barred")
        assert entry.created_at == NOW
        assert user.username == "list-sso"
