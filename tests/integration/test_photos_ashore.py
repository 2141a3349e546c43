"""Photos stay on board unless the SSO sends one (issue 17 point 2), end to end: a ship on
SQLite, the shore on PostgreSQL over HTTP. The SSO sends one person's ID photo, the sender's
round carries it, the CSO sees it beside the person in the fleet search; another person's photo
and a document photo not sent never leave; other bytes for the same person are refused; a PFSO
sees no photo."""

from __future__ import annotations

import hashlib
import socket
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from gangway.db.models import AuditEntry, DocumentPhoto, DocumentPhotoImage, Person, ShorePhoto
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.imaging.id_photos import store_id_photo
from gangway.web.openapi.document import openapi_document
from tests.conftest import AuthActions
from tests.support.shore import dispose, shore_app
from tests.support.shore_link import badge_code, cli, fleet_ship, link_to, served

pytestmark = pytest.mark.shore


def jpeg(colour: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (120, 160), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The shore server (the `client` and `auth` fixtures log in to it)."""
    app = shore_app(tmp_path_factory.mktemp("photos-shore"))
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def ship(app, tmp_path_factory):
    """A ship of the fleet with two crew members, each with an ID photo and a badge."""
    ship = fleet_ship(tmp_path_factory.mktemp("photos-ship"), app)
    with ship.app_context():
        ids = {}
        for family, colour in (("FOTOGRAF", "red"), ("KEEPSAKE", "blue")):
            path = store_id_photo(
                Path(ship.instance_path), jpeg(colour), max_bytes=10**6, max_pixels=10**7
            )
            person = Person(kind="crew", family_name=family, given_names="Anna", photo_path=path)
            badge_code(db.session, person)
            ids[family] = person.id
            if family == "FOTOGRAF":  # the SSO kept a document photo too, and never sends it
                document = jpeg("yellow")
                db.session.add(
                    DocumentPhoto(person=person, sha256=hashlib.sha256(document).hexdigest(),
                                  byte_size=len(document), kept_at=utcnow(),
                                  image=DocumentPhotoImage(data=document))
                )  # fmt: skip
        db.session.commit()
        ship.people = ids
    yield ship
    dispose(ship)


def put_photo(url: str, token: str, person_id: int, data: bytes, sha256: str) -> int:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg",
               "X-Photo-SHA256": sha256}  # fmt: skip
    path = f"{url}/api/v1/shore/photos/{person_id}/id"
    request = urllib.request.Request(path, data, headers, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def test_the_sso_sends_a_photo_ashore_and_only_the_cso_sees_it(app, ship, client, auth):
    sent_id, kept_id = ship.people["FOTOGRAF"], ship.people["KEEPSAKE"]
    on_board = ship.test_client()
    crew = AuthActions(ship, on_board)
    crew.login("watch")
    assert on_board.post(f"/people/{sent_id}/photo-ashore", data={"photo": "id"}).status_code == 403
    crew.login("sso")
    badge_page = on_board.get("/sso/badges/1").get_data(as_text=True)
    assert 'data-testid="send-id-photo-ashore"' in badge_page
    assert 'data-testid="send-document-photo-ashore"' in badge_page
    done = on_board.post(f"/people/{sent_id}/photo-ashore", data={"photo": "id", "badge_id": "1"})
    assert done.status_code == 302
    assert "goes ashore" in on_board.get(done.location).get_data(as_text=True)
    refused = on_board.post(f"/people/{sent_id}/photo-ashore", data={"photo": "passport"})
    assert refused.status_code == 302  # a clear message, nothing chained
    with ship.app_context():
        sent = db.session.scalars(
            select(AuditEntry).where(AuditEntry.kind == "photo.sent_ashore")
        ).all()
        assert len(sent) == 1
        photo = Path(ship.instance_path, db.session.get(Person, sent_id).photo_path).read_bytes()
        assert f'"sha256":"{hashlib.sha256(photo).hexdigest()}"' in sent[0].payload
        db.session.remove()

    with served(app, free_port()) as url:
        link_to(ship, url)
        run = cli(ship, "shore-link", "run", "--once")
        assert run.exit_code == 0, run.output
        assert "1 photo" in run.output
        assert cli(ship, "verify-log").exit_code == 0
        # Other bytes for the same person, with their own SHA-256: not the photo the SSO sent.
        other = jpeg("green")
        token = ship.shore_token
        assert put_photo(url, token, sent_id, other, hashlib.sha256(other).hexdigest()) == 409
        assert put_photo(url, token, kept_id, other, hashlib.sha256(other).hexdigest()) == 409
        assert put_photo(url, token, sent_id, other, hashlib.sha256(photo).hexdigest()) == 400
        assert put_photo(url, token, sent_id, photo, hashlib.sha256(photo).hexdigest()) == 200
        huge = photo + bytes(app.config["SHORE_MAX_PHOTO_BYTES"])  # in-process: no socket reset
        too_big = client.put(f"/api/v1/shore/photos/{sent_id}/id", data=huge, headers={
            "Authorization": f"Bearer {token}", "X-Photo-SHA256": hashlib.sha256(huge).hexdigest()
        })  # fmt: skip
        assert too_big.status_code == 413
        assert "0 photo" not in cli(ship, "shore-link", "run", "--once").output  # none twice

    with app.app_context():  # the photo not sent stayed on board; the tampered ones nowhere
        assert db.session.scalar(select(func.count()).select_from(ShorePhoto)) == 1
        db.session.remove()
    auth.login("cso")
    (found,) = client.get("/api/v1/fleet/search?q=fotograf anna").get_json()["persons"]
    (shown,) = found["photos"]  # the ID photo sent, not the document photo kept on board
    assert (shown["photo"], shown["person_id"]) == ("id", sent_id)
    image_url = f"/fleet/photos/{shown['ship_id']}/{sent_id}/id.jpg"
    assert client.get(image_url).data == photo
    (other_person,) = client.get("/api/v1/fleet/search?q=keepsake").get_json()["persons"]
    assert other_person["photos"] == []
    assert 'data-testid="photo-id"' in client.get("/fleet/search?q=fotograf").get_data(as_text=True)
    auth.login("pfso")
    assert client.get(image_url).status_code == 403
    auth.login("admin")  # may search the fleet, sees no photo
    (found,) = client.get("/api/v1/fleet/search?q=fotograf").get_json()["persons"]
    assert found["photos"] == []
    assert "/shore/photos/{person_id}/{photo}" in openapi_document(shore=True)["paths"]
