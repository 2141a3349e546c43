"""The crew list (search, views, who may see it) and signing crew off: the badge is revoked, the
gangway refuses them boarding and records them leaving, every change chained."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, Badge, Movement, Person, Refusal
from gangway.extensions import db
from tests.conftest import AuthActions
from tests.integration.test_audit_log import verify

CREW = {"rank": "Master", "nationality": "NOR", "document_number": "NO123456"}


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
    assert client.post("/sso/crew/new", data={"family_name": "Okafor"}).status_code == 403
    assert counts(app) == before


def test_the_master_reads_the_crew_list_without_sign_off_buttons(app, auth, client, hansen):
    auth.login("master")
    html = client.get("/sso/crew/").get_data(as_text=True)
    assert "HANSEN, Erik" in html
    assert "Sign off" not in html
    assert "Sign on a new" not in html
    assert client.post(f"/sso/crew/{hansen[0]}/sign-off").status_code == 403
