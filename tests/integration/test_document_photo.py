"""A document photo kept on the person's record (issue 18 point 6): only when the SSO ticks the
box, carried signed in the form until then, chained by its SHA-256, shown to the officers and
the watch and never to a PFSO, purged with its port call, deleted by the SSO."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, update

from gangway.db.models import DocumentPhoto, DocumentPhotoImage, Person, User
from gangway.extensions import db
from gangway.services.people.document_photos import add_document_photo
from gangway.services.ship.retention import archive_port_call, purge_port_call
from tests.conftest import NOW, PASSWORD
from tests.integration.port_call_builders import DAYS, add_old_calls
from tests.integration.test_check_id import PASSPORT, photo_of

HX = {"HX-Request": "true"}
FILL = "/sso/visitors/new/fill"
REGISTER = "/sso/visitors/new"
TOKEN = re.compile(r'name="document_photo_token" value="([^"]+)"')


def files_in(folder: Path) -> set[Path]:
    """Return the files in the instance folder but the database and the signing key."""
    return {p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".sqlite", ".pem")}


def photos(app) -> list[tuple[DocumentPhoto, bytes | None]]:
    with app.app_context():
        rows = db.session.scalars(select(DocumentPhoto).order_by(DocumentPhoto.id)).all()
        out = [(r, db.session.get(DocumentPhotoImage, r.id)) for r in rows]
        db.session.expunge_all()
        return [(r, bytes(i.data) if i else None) for r, i in out]


def verify(runner) -> str:
    return runner.invoke(args=["verify-log"]).output


def keep_one(app, family="KEPT", call_id=None) -> int:
    """Register a person with a document photo straight through the service; return their id."""
    buffer = io.BytesIO()
    Image.new("RGB", (400, 280), "#8ab").save(buffer, "JPEG")
    with app.app_context():
        person = Person(kind="visitor", family_name=family)
        user = db.session.scalars(select(User)).first()
        photo = add_document_photo(db.session, person, buffer.getvalue(), user=user, now=NOW)
        photo.port_call_id = call_id or photo.port_call_id  # as if kept in that call
        db.session.commit()
        return person.id


# The two tests that read a photo (~1 s of OCR each) run once: what they store, the tests below
# without OCR store, show, delete, purge and verify on PostgreSQL too.
@pytest.mark.sqlite_only
def test_the_photo_is_kept_only_when_the_sso_ticks_the_box(app, auth, client, runner):
    auth.login("sso", point=None)
    instance = Path(app.instance_path)
    before = files_in(instance)
    form = {"kind": "visitor", "purpose": "Ship's agent"}
    form["document_photo"] = (io.BytesIO(photo_of(PASSPORT)), "passport.jpg")
    html = client.post(FILL, data=form).get_data(as_text=True)
    assert 'data-testid="document-photo-preview"' in html  # the SSO sees what would be kept
    assert 'data-testid="keep-document-photo"' in html
    assert "checked" not in html.split('data-testid="keep-document-photo"')[1].split(">")[0]
    token = TOKEN.search(html)[1]
    assert files_in(instance) == before
    assert photos(app) == []

    filled = {"kind": "visitor", "family_name": "DE VRIES", "given_names": "ANNA MARIA"}
    filled |= {"document_number": "XN4F7K2P1", "document_issuing_state": "NLD"}
    filled |= {"document_type": "passport", "purpose": "Ship's agent"}
    filled["document_photo_token"] = token
    unticked = filled | {"family_name": "UNTICKED", "document_number": "XN0000001"}
    assert client.post(REGISTER, data=unticked).status_code == 302  # not ticked: not kept
    assert photos(app) == []
    assert files_in(instance) == before

    tampered = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    response = client.post(
        REGISTER,
        data=filled
        | {"document_photo_token": tampered, "keep_document_photo": "1", "family_name": "TAMPERED"},
    )
    assert response.status_code == 400
    assert "did not come back as it was read" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalars(select(Person).where(Person.family_name == "TAMPERED")).all() == []
        )

    no_purpose = filled | {"keep_document_photo": "1", "purpose": ""}
    response = client.post(REGISTER, data=no_purpose)  # an error: the photo comes back too
    assert response.status_code == 400
    assert TOKEN.search(response.get_data(as_text=True))[1] == token
    assert photos(app) == []

    response = client.post(REGISTER, data=filled | {"keep_document_photo": "1"})
    assert response.status_code == 302
    [(photo, image)] = photos(app)
    kept = Image.open(io.BytesIO(image))
    assert kept.format == "JPEG"
    assert max(kept.size) <= 1400
    assert not kept.getexif()
    badge_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="document-photo"' in badge_page
    shown = client.get(f"/people/{photo.person_id}/document-photo")
    assert shown.status_code == 200
    assert shown.data == image
    assert "OK: the chain is unbroken" in verify(runner)

    auth.logout()  # the watch sees it beside the ID photo in Check ID's verdict
    auth.login("watch")
    data = {"direction": "auto", "image": (io.BytesIO(photo_of(PASSPORT)), "id.jpg")}
    verdict = client.post("/watch/check-id/", data=data, headers=HX).get_data(as_text=True)
    assert f"/people/{photo.person_id}/document-photo" in verdict
    auth.logout()
    auth.login("pfso")  # never a PFSO
    assert client.get(f"/people/{photo.person_id}/document-photo").status_code == 403


@pytest.mark.sqlite_only
def test_the_crew_sign_on_keeps_the_photo_and_refuses_another_users_token(
    app, auth, client, make_user
):
    auth.login("sso", point=None)
    form = {"rank_or_rating": "Cook"}
    form["document_photo"] = (io.BytesIO(photo_of(PASSPORT)), "passport.jpg")
    html = client.post("/sso/crew/new/fill", data=form).get_data(as_text=True)
    crew = {"family_name": "DE VRIES", "given_names": "ANNA MARIA", "nationality": "NLD"}
    crew |= {"date_of_birth": "1981-03-14", "document_type": "Passport"}
    crew |= {"document_number": "XN4F7K2P1", "document_expiry": "2031-05-01"}
    crew |= {"keep_document_photo": "1", "document_photo_token": TOKEN.search(html)[1]}
    make_user("sso", "other-sso")  # the same form, sent by another SSO's login
    other = app.test_client()
    other.post("/login", data={"username": "other-sso", "password": PASSWORD})
    response = other.post("/sso/crew/new", data=crew)
    assert response.status_code == 400
    assert photos(app) == []
    assert "did not come back as it was read" in response.get_data(as_text=True)
    assert client.post("/sso/crew/new", data=crew).status_code == 302
    [(photo, _)] = photos(app)
    with app.app_context():
        assert db.session.get(Person, photo.person_id).kind == "crew"


def test_the_sso_deletes_the_photo_and_the_chain_says_who(app, auth, client, runner, make_user):
    auth.login("watch", point=None)
    person = keep_one(app)
    assert client.post(f"/people/{person}/document-photo/delete").status_code == 403
    auth.logout()
    auth.login("sso", point=None)
    response = client.post(f"/people/{person}/document-photo/delete", data={"badge_id": "7"})
    assert response.headers["Location"].endswith("/sso/badges/7")
    [(photo, image)] = photos(app)
    with app.app_context():
        sso = db.session.scalars(select(User.id).where(User.username == "sso")).one()
    assert (photo.deleted_by_id, photo.deleted_at is not None, image) == (sso, True, None)
    assert client.get(f"/people/{person}/document-photo").status_code == 404
    output = verify(runner)
    assert "OK: the chain is unbroken" in output
    with app.app_context():
        kinds = db.session.scalars(db.text("SELECT kind FROM audit_entry")).all()
    assert "document_photo.removed" in kinds


def test_verify_log_catches_a_photo_swapped_in_the_database(app, auth, client, runner):
    auth.login("sso", point=None)
    person = keep_one(app)
    assert "OK" in verify(runner)
    other = io.BytesIO()
    Image.new("RGB", (400, 280), "#a00").save(other, "JPEG")
    with app.app_context():
        db.session.execute(update(DocumentPhotoImage).values(data=other.getvalue()))
        db.session.commit()
    output = verify(runner)
    assert "[photo_altered] document photo 1" in output
    assert client.get(f"/people/{person}/document-photo").status_code == 404  # never shown
    with app.app_context():  # the hash changed to match: the chained row no longer does
        sha = hashlib.sha256(other.getvalue()).hexdigest()
        db.session.execute(update(DocumentPhoto).values(sha256=sha))
        db.session.commit()
    assert "[row_altered] document_photo 1 was changed" in verify(runner)


def test_a_photo_goes_with_its_port_calls_records_at_the_purge(
    app, make_user, make_person, runner, tmp_path
):
    user = make_user("admin")
    with app.app_context():
        calls = add_old_calls(db.session, user_id=user.id, person_id=make_person())
    old = calls[0]
    _, kept_now = keep_one(app, "OLD", call_id=old), keep_one(app, "NOW")
    with app.app_context():
        archive_port_call(db.session, old, tmp_path / "a.zip", now=NOW)
        counts = purge_port_call(db.session, old, now=NOW, retention_days=DAYS)
    assert counts["document_photos"] == 1
    assert [(p.person_id, i is not None) for p, i in photos(app)] == [(kept_now, True)]
    assert "OK: the chain is unbroken" in verify(runner)
