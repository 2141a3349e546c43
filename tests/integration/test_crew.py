"""The crew list and crew changes: sign-off revokes the badge and refuses boarding; sign-on issues
a new badge; every change chained; bad input and other roles change nothing."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from gangway.extensions import db
from gangway.models import AuditEntry, Badge, Movement, Person, Refusal, WatchListEntry
from tests.conftest import AuthActions
from tests.integration.test_audit_log import verify
from tests.integration.test_imports import CREW_HEADER, HANSEN, SANTOS

CREW = {"rank": "Master", "nationality": "NOR", "document_number": "NO123456"}
NEW_CREW = {
    "family_name": "Okafor",
    "given_names": "Chidi",
    "rank_or_rating": "Cook",
    "nationality": "nga",
    "date_of_birth": "1990-04-02",
    "place_of_birth": "Lagos",
    "gender": "M",
    "document_type": "Seafarer ID",
    "document_number": "NG-445566",
    "document_issuing_state": "NGA",
    "document_expiry": "2030-01-31",
}


@pytest.fixture
def sso(auth):
    auth.login("sso")


@pytest.fixture
def gangway(app):
    """The watch's tablet, logged in at the main gangway: `gangway(code, direction)` scans."""
    client = app.test_client()
    AuthActions(app, client).login("watch")

    def scan(code: str, direction: str) -> str:
        data = {"code": code, "direction": direction}
        response = client.post("/watch/scan", data=data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return scan


@pytest.fixture
def hansen(make_person, make_badge) -> tuple[int, str]:
    """A crew member with a valid badge: (person id, badge code)."""
    person_id = make_person(**CREW)
    return person_id, make_badge(person_id)


def counts(app) -> dict[str, int]:
    with app.app_context():
        models = (Person, Badge, Movement, Refusal, AuditEntry)
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def chain_kinds(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.seq)))


def event(app, kind: str) -> dict:
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind)).one()
        return json.loads(entry.payload)


def test_list_shows_rank_nationality_presence_badge_and_standing(
    client, sso, hansen, make_person, gangway
):
    make_person(family="SANTOS", given="Maria", rank="AB", nationality="PHL")
    gangway(hansen[1], "board")
    html = client.get("/sso/crew/").get_data(as_text=True)
    hansen_row = html[html.index(f'data-person-id="{hansen[0]}"') :].split("</li>")[0]
    assert "HANSEN, Erik" in hansen_row
    assert "Master · NOR" in hansen_row
    assert "On board" in hansen_row
    assert "Signed on" in hansen_row
    assert 'data-state="valid"' in hansen_row
    assert "/sso/badges/" in hansen_row
    santos_row = html[html.index("SANTOS, Maria") :].split("</li>")[0]
    assert "Ashore" in santos_row
    assert "No badge" in santos_row


@pytest.mark.parametrize(
    ("query", "found"),
    [("hans", True), ("erik hansen", True), ("master", True), ("no1234", True), ("bosun", False)],
)
def test_search_matches_name_rank_or_document_number(client, sso, hansen, query, found):
    html = client.get("/sso/crew/", query_string={"q": query}).get_data(as_text=True)
    assert ("HANSEN, Erik" in html) is found


def test_the_typeahead_gets_the_list_fragment(hx, auth, hansen):
    AuthActions(hx.application, hx).login("sso")
    response = hx.get("/sso/crew/", query_string={"q": "hansen"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="crew-list"' in html
    assert "HANSEN, Erik" in html
    assert "HX-Request" in response.headers["Vary"]


def test_filters_show_on_board_ashore_and_signed_off(client, sso, hansen, make_person, gangway):
    make_person(family="SANTOS", given="Maria")
    make_person(family="GONE", given="Jo", is_enabled=False)
    gangway(hansen[1], "board")

    def names(show: str) -> list[str]:
        html = client.get("/sso/crew/", query_string={"show": show}).get_data(as_text=True)
        return [n for n in ("HANSEN", "SANTOS", "GONE") if f"{n}, " in html]

    assert names("signed_on") == ["HANSEN", "SANTOS"]
    assert names("aboard") == ["HANSEN"]
    assert names("ashore") == ["SANTOS"]
    assert names("signed_off") == ["GONE"]
    assert names("all") == ["HANSEN", "SANTOS", "GONE"]


def test_sign_off_revokes_the_badge_marks_them_and_chains_who_and_when(
    app, client, sso, hansen, runner
):
    confirm = client.get(f"/sso/crew/{hansen[0]}/sign-off").get_data(as_text=True)
    assert "Sign off HANSEN, Erik?" in confirm
    assert "Yes, sign off" in confirm
    response = client.post(f"/sso/crew/{hansen[0]}/sign-off", data={"show": "all"})
    assert response.status_code == 302
    assert response.location.endswith("/sso/crew/?show=all")
    page = client.get(response.location).get_data(as_text=True)
    assert "HANSEN, Erik signed off: badge 1 revoked." in page
    with app.app_context():
        person, badge = db.session.get(Person, hansen[0]), db.session.get(Badge, 1)
        assert not person.is_enabled
        assert badge.revoked_at is not None
        assert badge.revoked_reason == "Signed off"
        assert badge.revoked_by_id is not None
    signed_off_kinds = {"crew.signed_off", "badge.revoked", "person.enabled_changed"}
    assert set(chain_kinds(app)[-3:]) == signed_off_kinds  # one transaction: the last three
    signed_off = event(app, "crew.signed_off")
    assert signed_off["username"] == "sso"
    assert signed_off["badges_revoked"] == [1]
    assert signed_off["person_id"] == hansen[0]
    assert signed_off["at"]
    verify(runner, ok=True)


def test_signed_off_crew_are_refused_boarding_in_plain_words_and_may_still_leave(
    app, client, sso, hansen, gangway
):
    gangway(hansen[1], "board")
    warning = client.get(f"/sso/crew/{hansen[0]}/sign-off").get_data(as_text=True)
    assert "still recorded on board" in warning
    done = client.post(f"/sso/crew/{hansen[0]}/sign-off", headers={"HX-Request": "true"})
    assert "Still recorded on board: their departure is recorded as they leave." in done.text
    leaving = gangway(hansen[1], "depart")
    assert 'data-verdict="allowed"' in leaving
    assert "Signed off: no longer one of this ship&#39;s crew (departure recorded)." in leaving
    boarding = gangway(hansen[1], "board")
    assert 'data-verdict="refused"' in boarding
    assert "Signed off: no longer one of this ship&#39;s crew." in boarding
    assert "signed_off" not in re.sub(r"<[^>]*>", "", boarding)  # no raw code for people
    with app.app_context():
        departure = db.session.scalars(select(Movement).order_by(Movement.id.desc())).first()
        assert departure.direction == "depart"
        assert "signed_off" in departure.flags
        assert db.session.scalars(select(Refusal)).one().reason_code == "signed_off"
        assert db.session.get(Person, hansen[0]).aboard_movement_id is None


def test_sign_on_issues_a_new_permanent_badge_that_boards_and_the_old_one_stays_revoked(
    app, client, sso, hansen, gangway, runner
):
    client.post(f"/sso/crew/{hansen[0]}/sign-off")
    confirm = client.get(f"/sso/crew/{hansen[0]}/sign-on").get_data(as_text=True)
    assert "Sign on HANSEN, Erik?" in confirm
    assert "A new permanent badge is issued" in confirm
    response = client.post(f"/sso/crew/{hansen[0]}/sign-on", headers={"HX-Request": "true"})
    assert 'id="crew-list"' in response.text
    assert "HANSEN, Erik signed on: badge 2 issued" in response.text
    with app.app_context():
        assert db.session.get(Person, hansen[0]).is_enabled
        new = db.session.get(Badge, 2)
        assert new.is_permanent
        assert new.revoked_at is None
        assert new.person_id == hansen[0]
        code = new.code
    assert 'data-verdict="refused"' in gangway(hansen[1], "board")  # the old badge
    assert 'data-verdict="allowed"' in gangway(code, "board")
    assert event(app, "crew.signed_on")["badge_issued"] == 2
    verify(runner, ok=True)


def test_a_new_crew_member_typed_in_is_signed_on_with_a_badge(app, client, sso, gangway, runner):
    response = client.post("/sso/crew/new", data=NEW_CREW)
    assert response.status_code == 302
    assert response.location.endswith("/sso/badges/1")
    with app.app_context():
        person = db.session.scalars(select(Person)).one()
        assert (person.kind, person.rank, person.nationality) == ("crew", "Cook", "NGA")
        assert person.document_expires_on.isoformat() == "2030-01-31"
        badge = db.session.get(Badge, 1)
        assert badge.is_permanent
        assert badge.valid_until.date().isoformat() == "2030-01-31"
        code = badge.code
    assert 'data-verdict="allowed"' in gangway(code, "board")
    assert event(app, "crew.signed_on")["username"] == "sso"
    verify(runner, ok=True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"family_name": " "}, "family_name", "Required: fill this in."),
        ({"date_of_birth": "02/04/1990"}, "date_of_birth", "is not a date"),
        ({"nationality": "Nigeria"}, "nationality", "is not a country code"),
        ({"given_names": "=HYPERLINK(1)"}, "given_names", "a spreadsheet would run it"),
        ({"document_expiry": "2020-01-01"}, "document_expiry", "expired on 2020-01-01"),
    ],
)
def test_a_bad_new_crew_member_is_refused_at_the_field_and_writes_nothing(
    app, client, sso, change, field, message
):
    before = counts(app)
    response = client.post("/sso/crew/new", data={**NEW_CREW, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="error-{field}"' in html
    assert message in html
    assert 'value="NG-445566"' in html  # what was typed comes back
    assert counts(app) == before


def test_a_second_person_with_the_same_document_is_refused(app, client, sso, hansen):
    before = counts(app)
    response = client.post("/sso/crew/new", data={**NEW_CREW, "document_number": "no 123456"})
    assert response.status_code == 400
    assert "HANSEN, Erik has this document and is signed on already." in response.text
    assert counts(app) == before


def test_nobody_on_the_watch_list_is_signed_on(app, client, sso, hansen):
    client.post(f"/sso/crew/{hansen[0]}/sign-off")
    with app.app_context():
        db.session.add(WatchListEntry(document_number="NO123456", reason="Stowaway attempt"))
        db.session.commit()
    before = counts(app)
    response = client.post(f"/sso/crew/{hansen[0]}/sign-on")
    assert response.status_code == 400
    assert "On the watch list: Stowaway attempt. No badge issued." in response.text
    assert counts(app) == before


def test_signing_off_twice_or_someone_not_crew_changes_nothing(
    app, client, sso, hansen, make_person
):
    client.post(f"/sso/crew/{hansen[0]}/sign-off")
    visitor = make_person(kind="visitor", family="VISITOR")
    before = counts(app)
    again = client.post(f"/sso/crew/{hansen[0]}/sign-off")
    assert again.status_code == 400
    assert "HANSEN, Erik is already signed off." in again.text
    assert client.post(f"/sso/crew/{visitor}/sign-off").status_code == 400
    assert client.post("/sso/crew/999/sign-on").status_code == 400
    assert client.get(f"/sso/crew/{visitor}/sign-off").status_code == 404
    assert counts(app) == before


@pytest.mark.parametrize("role", ["watch", "pfso"])
def test_the_watch_and_the_pfso_may_not_see_or_change_the_crew(app, auth, client, hansen, role):
    auth.login(role)
    before = counts(app)
    assert client.get("/sso/crew/").status_code == 403
    assert client.post(f"/sso/crew/{hansen[0]}/sign-off").status_code == 403
    assert client.post("/sso/crew/new", data=NEW_CREW).status_code == 403
    assert counts(app) == before


def test_the_master_reads_the_crew_list_without_sign_off_buttons(app, auth, client, hansen):
    auth.login("master")
    html = client.get("/sso/crew/").get_data(as_text=True)
    assert "HANSEN, Erik" in html
    assert "Sign off" not in html
    assert "Sign on a new" not in html
    assert client.post(f"/sso/crew/{hansen[0]}/sign-off").status_code == 403


def test_a_signed_off_crew_member_in_a_reimported_list_stays_signed_off(app, client, sso):
    crew_file = "\r\n".join([CREW_HEADER, HANSEN, SANTOS]) + "\r\n"
    client.post("/api/v1/imports/crew", data=crew_file, content_type="text/csv")
    with app.app_context():
        hansen_id = db.session.scalars(
            select(Person.id).where(Person.family_name == "Hansen")
        ).one()
    client.post(f"/sso/crew/{hansen_id}/sign-off")
    preview = client.post(
        "/api/v1/imports/crew?dry_run=1", data=crew_file, content_type="text/csv"
    ).get_json()
    assert [w["message"] for w in preview["warnings"]] == [
        "HANSEN, Erik is signed off and stays signed off: sign them on from the crew page."
    ]
    client.post("/api/v1/imports/crew", data=crew_file, content_type="text/csv")
    with app.app_context():
        assert not db.session.get(Person, hansen_id).is_enabled


def test_a_signed_off_crew_members_badge_is_not_reissued(app, client, sso, hansen):
    client.post(f"/sso/crew/{hansen[0]}/sign-off")
    before = counts(app)
    page = client.post("/sso/badges/1/reissue", follow_redirects=True).get_data(as_text=True)
    assert "HANSEN, Erik is signed off: sign them on first." in page
    assert counts(app) == before
