"""Identity checks by hand (B/9.14.1): search, compare the document, record like a scan."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, Person, Refusal
from gangway.extensions import db

HX = {"HX-Request": "true"}
MANUAL = "/watch/manual/"
SEARCH = "/watch/manual/search"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def only(app, model):
    with app.app_context():
        row = db.session.scalars(select(model)).one()
        db.session.expunge_all()
        return row


@pytest.fixture
def passport_holder(make_person):
    """A visitor with a passport on record and a registered purpose."""
    return make_person(
        kind="visitor",
        family="MÜLLER",
        given="Sabine",
        company="Hapag Agency",
        document_type="passport",
        document_number="P1234567",
        purpose="Ship's agent",
    )


def check(client, person_id: int, headers=None, **fields):
    data = {
        "direction": "board",
        "document_type": "passport",
        "document_number": "P1234567",
        "inspected": "yes",
        **fields,
    }
    return client.post(f"{MANUAL}{person_id}", data=data, headers=headers)


# search_people uses ilike: on SQLite that folds ASCII letters only ("ü" never matches "Ü").
@pytest.mark.parametrize("query", ["sabine", "SABINE", "MÜL", "p1234", "P123"])
def test_typeahead_finds_by_name_or_document_number_ignoring_case(
    auth, client, passport_holder, make_person, query
):
    make_person(family="OTHER", given="Person", document_number="Z9999999")
    auth.login("watch")
    response = client.get(SEARCH, query_string={"q": query}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="manual-results"')
    assert "HX-Request" in response.headers["Vary"]
    assert "MÜLLER, Sabine" in html
    assert "Passport, number ends" in html
    assert "P1234567" not in html  # read off the document, never offered by the search
    assert "Hapag Agency" in html
    assert f'href="{MANUAL}{passport_holder}"' in html
    assert "OTHER" not in html


def test_search_without_js_renders_the_page_with_the_hits(auth, client, passport_holder):
    auth.login("watch")
    plain = client.get(SEARCH, query_string={"q": "sabine"})
    assert plain.status_code == 302
    page = client.get(plain.location)
    html = page.get_data(as_text=True)
    assert "<html" in html
    assert 'id="manual-results"' in html
    assert 'name="q" type="search"' in html
    assert 'value="sabine"' in html
    assert "MÜLLER, Sabine" in html


def test_one_letter_finds_nobody_and_says_why(auth, client, passport_holder):
    auth.login("watch")
    html = client.get(SEARCH, query_string={"q": "m"}, headers=HX).get_data(as_text=True)
    assert "at least two letters" in html
    assert "MÜLLER" not in html


def test_hits_show_the_photo_thumbnail_when_there_is_one(auth, client, make_person):
    person_id = make_person(family="PHOTO", given="Has", photo_path="photos/x.jpg")
    auth.login("watch")
    html = client.get(SEARCH, query_string={"q": "photo"}, headers=HX).get_data(as_text=True)
    assert f'src="/watch/photo/{person_id}"' in html


def test_manual_pages_need_the_access_point_chosen_on_the_scan_page(auth, client, passport_holder):
    auth.login("watch", point=None)
    for path in (MANUAL, f"{MANUAL}{passport_holder}"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.endswith("/watch/")
    assert check(client, passport_holder).location.endswith("/watch/")


def test_check_page_never_shows_the_number_on_record_nor_prefills_the_document(
    auth, client, passport_holder
):
    auth.login("watch")
    html = client.get(f"{MANUAL}{passport_holder}").get_data(as_text=True)
    assert "MÜLLER, Sabine" in html
    assert "P1234567" not in html
    record = html.split('data-testid="document-on-record"')[1].split("</dd>")[0]
    assert "Passport" in record  # what to ask for
    assert "Its number shows here once you have typed it" in record
    number_input = html.split('name="document_number"')[1].split(">")[0]
    assert 'value=""' in number_input
    assert '<option value="">— choose —</option>' in html
    assert "selected>" not in html.split('name="document_type"')[1].split("</select>")[0]
    assert "<option selected>Ship&#39;s agent</option>" in html
    assert 'type="checkbox" name="inspected"' in html
    assert "Identity document inspected and the photo matches" in html
    assert 'hx-target="#watch-result"' in html
    assert 'id="watch-result"' in html


def test_right_document_records_a_manual_movement(app, auth, client, passport_holder):
    auth.login("watch")
    response = check(client, passport_holder, headers=HX, document_number=" p123 4567")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="watch-result"' in html
    assert 'data-verdict="allowed"' in html
    assert "MÜLLER, Sabine" in html
    assert response.headers["HX-Trigger"] == "movement-recorded"
    movement = only(app, Movement)
    assert (movement.method, movement.credential) == ("manual", "id_document")
    assert movement.document_inspected == "passport p123 4567"
    assert movement.purpose == "Ship's agent"  # the registered purpose
    assert movement.badge_id is None
    assert movement.person_id == passport_holder
    assert count(app, Refusal) == 0
    with app.app_context():
        assert db.session.get(Person, passport_holder).aboard_movement_id == movement.id


def test_wrong_number_is_refused_as_a_mismatch_and_recorded(app, auth, client, passport_holder):
    auth.login("watch")
    html = check(client, passport_holder, headers=HX, document_number="P7654321").get_data(
        as_text=True
    )
    assert 'data-verdict="refused"' in html
    assert 'data-code="document_mismatch"' in html
    refusal = only(app, Refusal)
    assert (refusal.reason_code, refusal.method, refusal.credential) == (
        "document_mismatch",
        "manual",
        "id_document",
    )
    assert refusal.person_id == passport_holder
    assert "P7654321" in refusal.scanned_text
    assert count(app, Movement) == 0


def test_unticked_box_writes_nothing(app, auth, client, passport_holder):
    auth.login("watch")
    fragment = check(client, passport_holder, headers=HX, inspected="")
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert 'data-verdict="error"' in html
    assert "NOT RECORDED" in html
    assert "HX-Trigger" not in fragment.headers
    page = check(client, passport_holder, inspected="", document_number="P1234567")
    assert page.status_code == 400
    assert "NOT RECORDED" in page.get_data(as_text=True)
    assert 'value="P1234567"' in page.get_data(as_text=True)  # what was typed is kept
    assert count(app, Movement) == 0
    assert count(app, Refusal) == 0


def test_unknown_document_type_writes_nothing(app, auth, client, passport_holder):
    auth.login("watch")
    html = check(client, passport_holder, headers=HX, document_type="library card").get_data(
        as_text=True
    )
    assert "Choose the type of document" in html
    assert count(app, Movement) + count(app, Refusal) == 0


def test_authority_with_no_document_on_record_is_accepted_with_the_number_typed(
    app, auth, client, make_person
):
    pilot = make_person(
        kind="authority", family="DE JONG", given="Maarten", authority_role="pilot", purpose="Pilot"
    )
    auth.login("watch")
    html = check(
        client, pilot, headers=HX, document_type="authority_id", document_number="NL-PIL-4711"
    ).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    movement = only(app, Movement)
    assert movement.document_inspected == "authority_id NL-PIL-4711"
    assert movement.purpose == "Pilot"


def test_empty_number_is_refused_as_not_inspected(app, auth, client, passport_holder):
    auth.login("watch")
    html = check(client, passport_holder, headers=HX, document_number="").get_data(as_text=True)
    assert 'data-code="document_not_inspected"' in html
    assert only(app, Refusal).reason_code == "document_not_inspected"


def test_check_without_js_redirects_to_the_scan_page_showing_the_verdict_once(
    app, auth, client, passport_holder
):
    auth.login("watch")
    response = check(client, passport_holder)
    assert response.status_code == 302
    assert response.location.endswith("/watch/")
    page = client.get("/watch/").get_data(as_text=True)
    assert 'data-verdict="allowed"' in page
    assert "MÜLLER, Sabine" in page
    assert 'data-verdict="ready"' in client.get("/watch/").get_data(as_text=True)
    assert count(app, Movement) == 1


def test_scan_page_links_to_the_manual_check(auth, client):
    auth.login("watch")
    html = client.get("/watch/").get_data(as_text=True)
    assert f'href="{MANUAL}"' in html
    assert "Check ID by hand" in html


@pytest.mark.parametrize("role", ["pfso", "admin"])
def test_only_the_watch_sso_and_master_check_by_hand(app, auth, client, passport_holder, role):
    auth.login(role)
    assert client.get(MANUAL).status_code == 403
    assert client.get(SEARCH, query_string={"q": "sabine"}).status_code == 403
    assert client.get(f"{MANUAL}{passport_holder}").status_code == 403
    assert check(client, passport_holder).status_code == 403
    assert count(app, Movement) == 0


@pytest.mark.parametrize(
    ("role", "number"), [("master", "P1234567"), ("sso", "P1234567"), ("watch", None)]
)
def test_api_people_search_gives_the_number_on_record_to_the_sso_not_the_watch(
    auth, client, passport_holder, role, number
):
    auth.login(role)
    response = client.get("/api/v1/people", query_string={"q": "p1234567"})
    assert response.status_code == 200
    [hit] = response.get_json()["people"]
    assert hit == {
        "id": passport_holder,
        "name": "MÜLLER, Sabine",
        "kind": "visitor",
        "company": "Hapag Agency",
        "rank": None,
        "photo_url": None,
        "document_type": "passport",
        "document_number": number,
        "document_hint": "567",
    }
    assert client.get("/api/v1/people", query_string={"q": "x"}).get_json() == {"people": []}


def test_api_people_search_refuses_other_roles_in_json(auth, client):
    assert client.get("/api/v1/people?q=ab").status_code == 401
    auth.login("pfso")
    response = client.get("/api/v1/people?q=ab")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_openapi_path_item_describes_the_people_search():
    from gangway.web.openapi.manual import PATHS

    get = PATHS["/people"]["get"]
    assert get["parameters"][0]["name"] == "q"
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert "document_number" in schema["properties"]["people"]["items"]["properties"]


def test_check_page_names_a_document_type_registered_in_words(auth, client, make_person):
    person_id = make_person(kind="visitor", document_type="Seafarer's ID", document_number="S1")
    auth.login("watch")
    html = client.get(f"{MANUAL}{person_id}").get_data(as_text=True)
    assert (
        "Seafarer&#39;s ID" in html.split('data-testid="document-on-record"')[1].split("</dd>")[0]
    )
    assert '<option value="seafarer_id">' in html  # named, not chosen for the watch
