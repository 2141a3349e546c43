"""Crew changes: signing on a crew member signed off, or a new one typed in, issues a new
permanent badge that boards; bad input, a second person for one document, or a watch list match
changes nothing; a list import never signs anyone on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gangway.db.models import Badge, Person, WatchListEntry
from gangway.extensions import db
from tests.integration.test_audit_log import verify
from tests.integration.test_crew import counts, event, gangway, hansen, sso
from tests.integration.test_imports import CREW_HEADER, HANSEN, SANTOS

gangway, hansen, sso = gangway, hansen, sso  # the same fixtures here

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
        ({"nationality": "Nigerium"}, "nationality", "is not a country"),
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
