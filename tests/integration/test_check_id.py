"""Check ID at the gangway (issue 18): a photo of the document, decided and recorded like a scan.

The photos are generated documents (tests/support/document_photos.py) read by the real OCR.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace
from datetime import date
from functools import cache

from sqlalchemy import func, select

from gangway.db.models import Movement, Refusal
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.codes.documents.mrz_make import make_mrz
from gangway.extensions import db
from tests.support.document_photos import Shot, Specimen, draw_document, photograph

HX = {"HX-Request": "true"}
CHECK_ID = "/watch/check-id/"
PASSPORT = IdentityDocument(
    format="TD3",
    document_type="P",
    issuing_state="NLD",
    document_number="XN4F7K2P1",
    family_name="DE VRIES",
    given_names="ANNA MARIA",
    nationality="NLD",
    birth_date=date(1981, 3, 14),
    sex="F",
    expiry_date=date(2031, 5, 1),
)
ID_CARD = replace(
    PASSPORT, format="TD1", document_type="ID", document_number="KR7720431", family_name="SMIT"
)


@cache
def photo_of(document: IdentityDocument) -> bytes:
    """Return a tablet's photo of the document (made once per run: a photo takes ~0.3 s).

    Under 500 kB: the test client spools a bigger body to a file it never closes.
    """
    rng = random.Random(7)
    spec = Specimen(document.format, list(make_mrz(document)), document)
    shot = Shot(rotation=2.0, tilt=0.03, blur=0.5, quality=80)
    return photograph(draw_document(spec, rng), shot, rng, size=(1600, 1200))


def post_photo(client, data: bytes, **fields):
    form = {"direction": "auto", "image": (io.BytesIO(data), "id.jpg"), **fields}
    return client.post(CHECK_ID, data=form, headers=HX, content_type="multipart/form-data")


def rows(app, model) -> list:
    with app.app_context():
        found = list(db.session.scalars(select(model)))
        db.session.expunge_all()
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_registered_visitors_passport_lets_them_board_recorded_as_document(
    app, auth, client, make_person, runner, tmp_path
):
    make_person(
        kind="visitor",
        family="de Vries",
        given="Anna Maria",
        document_type="passport",
        document_number="XN4F7K2P1",
        document_issuing_state="NLD",
        purpose="Ship's agent",
        photo_path="photos/anna.jpg",
    )
    auth.login("watch")
    html = post_photo(client, photo_of(PASSPORT)).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert "ALLOWED ABOARD" in html
    assert 'data-testid="id-document"' in html  # the document's data beside the ID photo
    assert "XN4F7K2P1" in html
    assert 'alt="ID photo"' in html
    (movement,) = rows(app, Movement)
    assert (movement.method, movement.credential) == ("document", "id_document")
    assert movement.document_inspected == "passport XN4F7K2P1"
    kept = {p.name for p in tmp_path.rglob("*") if p.is_file() and ".sqlite" not in p.name}
    assert kept <= {"badge_signing_key.pem", "secret_key"}  # the photo is not kept
    result = runner.invoke(args=["verify-log"])  # the check is chained like any scan
    assert result.exit_code == 0, result.output


def test_an_unregistered_document_is_refused_and_the_sso_told_to_register(
    app, auth, client, make_person
):
    make_person(kind="crew", family="SMIT", given="Jan", document_number="ZZ1234567")
    auth.login("watch")
    html = post_photo(client, photo_of(ID_CARD)).get_data(as_text=True)
    assert 'data-verdict="refused"' in html
    assert "call the SSO to register them" in html
    (refusal,) = rows(app, Refusal)
    assert refusal.reason_code == "not_registered"
    assert refusal.method == "document"
    assert refusal.scanned_text == "document read: national_id KR7720431"
    assert count(app, Movement) == 0


def test_a_photo_without_a_zone_records_nothing_and_says_retake_or_check_by_hand(app, auth, client):
    auth.login("watch")
    rng = random.Random(1)
    page = draw_document(Specimen("TD3", [], PASSPORT), rng)
    blank = photograph(page, Shot(quality=80), rng, size=(1600, 1200))
    html = post_photo(client, blank).get_data(as_text=True)
    assert "NOT RECORDED" in html
    assert "No machine-readable zone found" in html
    assert "Check ID by hand" in html
    assert count(app, Refusal) + count(app, Movement) == 0
    html = post_photo(client, b"not a picture").get_data(as_text=True)
    assert "NOT RECORDED" in html
    plain = {"direction": "", "image": (io.BytesIO(blank), "b.jpg")}
    without_js = client.post(CHECK_ID, data=plain)
    assert without_js.status_code == 302  # redirect after POST: the scan page shows it once
    assert "No machine-readable zone found" in client.get("/watch/").get_data(as_text=True)
    assert count(app, Refusal) + count(app, Movement) == 0


def test_a_match_by_name_and_birth_date_waits_for_the_watch_to_compare_faces(
    app, auth, client, make_person
):
    # Registered without a document number nor a purpose: both are asked, one after the other.
    visitor = make_person(
        kind="visitor", family="De Vries", given="Anna-Maria", date_of_birth=PASSPORT.birth_date
    )
    auth.login("watch")
    html = post_photo(client, photo_of(PASSPORT)).get_data(as_text=True)
    assert 'data-verdict="compare_faces"' in html
    assert "COMPARE FACES" in html
    assert count(app, Refusal) + count(app, Movement) == 0
    token = html.split('name="document" value="')[1].split('"')[0]
    forged = client.post(
        CHECK_ID, data={"document": token[:-3] + "abc", "same_face": "1"}, headers=HX
    )
    assert "take the photo of the document again" in forged.get_data(as_text=True)
    assert count(app, Refusal) + count(app, Movement) == 0
    same = client.post(CHECK_ID, data={"document": token, "same_face": "1"}, headers=HX)
    html = same.get_data(as_text=True)
    assert 'data-verdict="purpose_needed"' in html
    carried = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert carried["same_face"] == "1"  # the faces are not asked twice
    answer = {**carried, "purpose": "Ship's agent"}
    html = client.post(CHECK_ID, data=answer, headers=HX).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    (movement,) = rows(app, Movement)
    assert (movement.person_id, movement.method) == (visitor, "document")
    assert movement.purpose == "Ship's agent"


def test_the_api_cannot_claim_a_document_without_its_photo(app, auth, client, make_person):
    make_person(kind="visitor", family="X", document_number="XN4F7K2P1", purpose="Agent")
    auth.login("watch")
    response = client.post(
        "/watch/scan", data={"code": "", "method": "document", "direction": "board"}, headers=HX
    )
    assert "use Check ID" in response.get_data(as_text=True)
    assert count(app, Refusal) + count(app, Movement) == 0


def test_the_sso_fills_the_visitor_form_from_a_document_photo_and_nothing_is_saved(
    app, auth, client
):
    from gangway.db.models import Person

    auth.login("sso", point=None)
    form = {"kind": "visitor", "host": "Chief engineer", "family_name": "typed before"}
    form["document_photo"] = (io.BytesIO(photo_of(PASSPORT)), "passport.jpg")
    response = client.post("/sso/visitors/new/fill", data=form, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="filled"' in html
    for value in ("DE VRIES", "ANNA MARIA", "XN4F7K2P1", "1981-03-14", "2031-05-01", "NLD"):
        assert f'value="{value}"' in html
    assert 'value="Chief engineer"' in html  # what the SSO typed stays
    assert 'value="passport" selected' in html
    assert count(app, Person) == 0  # nothing is saved until the SSO submits
    bad = {"kind": "visitor", "document_photo": (io.BytesIO(b"not a photo"), "x.jpg")}
    html = client.post("/sso/visitors/new/fill", data=bad).get_data(as_text=True)
    assert 'data-testid="fill-error"' in html
    assert count(app, Person) == 0


def test_the_sso_fills_the_crew_sign_on_form_from_a_seafarers_passport(app, auth, client):
    from gangway.db.models import Person

    auth.login("sso", point=None)
    form = {"rank_or_rating": "Cook"}
    form["document_photo"] = (io.BytesIO(photo_of(PASSPORT)), "passport.jpg")
    html = client.post("/sso/crew/new/fill", data=form).get_data(as_text=True)
    assert 'data-testid="filled"' in html
    for value in ("DE VRIES", "Cook", "Passport", "Female", "1981-03-14", "2031-05-01"):
        assert f'value="{value}"' in html
    assert count(app, Person) == 0
