"""Cached card files and ID photos: only ever this badge's card and this person's photo.

The badges folder may be shared by two instances (or hold a restored backup's files): a card is
filed by its signed code's SHA-256 and sealed by the instance that drew it, so a file that is not
exactly this badge's card as the database has it now is drawn again, never served.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from gangway.db.models import Badge, Person
from gangway.extensions import db
from gangway.imaging.decode import decode_image
from gangway.imaging.id_photos import read_id_photo, store_id_photo
from gangway.keys import KEY_ID, signing_key
from gangway.render.cards import card_paths
from gangway.render.cards.cache import card_files
from gangway.services.people.badges import issue_badge
from gangway.services.people.cards import card_data
from tests.conftest import NOW, AuthActions, build_app, dispose
from tests.support.tools import require_tool

pytestmark = pytest.mark.sqlite_only  # its own SQLite database (or none), whatever the test one

LIMITS = {"max_bytes": 5_000_000, "max_pixels": 40_000_000}


def jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (300, 400), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def issue(app, family: str, photo: bytes | None = None) -> tuple[int, str]:
    """Register a visitor (with an ID photo if given) and issue a badge; return (id, code)."""
    with app.app_context():
        photo_path = store_id_photo(Path(app.instance_path), photo, **LIMITS) if photo else None
        person = Person(kind="visitor", family_name=family, given_names="Kim")
        person.photo_path = photo_path
        db.session.add(person)
        badge = issue_badge(
            db.session,
            person,
            valid_from=NOW - timedelta(hours=1),
            valid_until=NOW + timedelta(days=1),
            private_key=signing_key(),
            key_id=KEY_ID,
            now=NOW,
        )
        db.session.commit()
        return badge.id, badge.code


@pytest.fixture
def instances(tmp_path):
    """Two instances (own database, secret key and signing key) sharing one badges folder."""
    shared = tmp_path / "shared-badges"
    apps = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        apps.append(
            build_app(
                folder,
                SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 't.sqlite'}",
                SECRET_KEY=f"secret-key-of-instance-{name}-" + name * 20,
                BADGES_DIR=str(shared),
            )
        )
    yield apps
    for app in apps:
        dispose(app)


def card(app, badge_id: int, fmt: str) -> bytes:
    client = app.test_client()
    AuthActions(app, client).login("sso")
    response = client.get(f"/sso/badges/{badge_id}/card.{fmt}")
    assert response.status_code == 200
    return response.data


def pdf_text(tmp_path: Path, pdf: bytes) -> str:
    source = tmp_path / "card.pdf"
    source.write_bytes(pdf)
    command = [require_tool("pdftotext"), "-enc", "UTF-8", str(source), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_two_instances_sharing_the_badges_folder_each_serve_their_own_persons_card(
    instances, tmp_path
):
    first, second = instances
    id_a, code_a = issue(first, "ALPHA", jpeg((200, 30, 30)))
    id_b, code_b = issue(second, "BRAVO", jpeg((30, 30, 200)))
    assert id_a == id_b  # the same badge id in both databases

    assert decode_image(card(first, id_a, "png")) == [code_a]
    assert decode_image(card(second, id_b, "png")) == [code_b]
    assert "ALPHA" in pdf_text(tmp_path, card(first, id_a, "pdf"))
    second_pdf = pdf_text(tmp_path, card(second, id_b, "pdf"))
    assert "BRAVO" in second_pdf
    assert "ALPHA" not in second_pdf
    # and again, now that both cards are on disk side by side
    assert decode_image(card(first, id_a, "png")) == [code_a]
    assert decode_image(card(second, id_b, "png")) == [code_b]


def test_a_planted_or_foreign_card_file_is_drawn_again_not_served(instances, tmp_path):
    first, second = instances
    id_a, code_a = issue(first, "ALPHA")
    id_b, code_b = issue(second, "BRAVO")
    card(first, id_a, "png"), card(second, id_b, "png")
    shared = Path(first.config["BADGES_DIR"])
    own, other = card_files(shared, id_a, code_a), card_files(shared, id_b, code_b)
    # The other instance's card and its seal, put under this badge's names.
    for suffix in ("pdf", "png", "seal"):
        shutil.copyfile(getattr(other, suffix), getattr(own, suffix))

    assert decode_image(card(first, id_a, "png")) == [code_a]
    assert "ALPHA" in pdf_text(tmp_path, card(first, id_a, "pdf"))
    assert decode_image(own.png.read_bytes()) == [code_a]  # rebuilt on disk too

    own.png.write_bytes(b"\x89PNG not a card")  # damaged, seal left as it was
    assert decode_image(card(first, id_a, "png")) == [code_a]
    own.seal.unlink()  # no seal: not vouched for
    assert decode_image(card(first, id_a, "png")) == [code_a]
    assert own.seal.is_file()


def test_a_card_file_written_before_a_rename_is_drawn_again_with_the_name_now(instances, tmp_path):
    first, _ = instances
    badge_id, _ = issue(first, "ALPHA")
    assert "ALPHA" in pdf_text(tmp_path, card(first, badge_id, "pdf"))
    with first.app_context():
        db.session.get(Badge, badge_id).person.family_name = "ANDERSEN"
        db.session.commit()

    assert "ANDERSEN" in pdf_text(tmp_path, card(first, badge_id, "pdf"))


def test_a_card_is_filed_by_its_signed_codes_hash_not_by_the_badge_id_alone(tmp_path):
    pdf, png = card_paths(tmp_path, 7, "GW1:ABC")
    assert pdf.stem == png.stem == f"badge-000007-{hashlib.sha256(b'GW1:ABC').hexdigest()}"
    assert pdf.stem != card_paths(tmp_path, 7, "GW1:ABD")[0].stem


def test_an_id_photo_that_no_longer_matches_its_record_is_not_shown(instances):
    first, _ = instances
    badge_id, _ = issue(first, "ALPHA", jpeg((200, 30, 30)))
    client = first.test_client()
    AuthActions(first, client).login("sso")
    with first.app_context():
        person = db.session.get(Badge, badge_id).person
        person_id, relative = person.id, person.photo_path
    assert (
        client.get(f"/watch/photo/{person_id}").data
        == (Path(first.instance_path) / relative).read_bytes()
    )

    (Path(first.instance_path) / relative).write_bytes(jpeg((30, 200, 30)))  # swapped beside
    assert client.get(f"/watch/photo/{person_id}").status_code == 404
    assert read_id_photo(Path(first.instance_path), relative) is None
    with first.app_context():
        badge = db.session.get(Badge, badge_id)
        assert card_data(db.session, badge, Path(first.instance_path)).photo is None


def test_an_id_photo_path_outside_the_photos_folder_is_never_read(tmp_path):
    (tmp_path / "secret_key").write_text("not a photo")
    assert read_id_photo(tmp_path, "photos/../secret_key") is None
    assert read_id_photo(tmp_path, "secret_key") is None
    assert read_id_photo(tmp_path, None) is None


def test_an_id_photo_is_revalidated_by_its_hash_not_sent_again(instances):
    first, _ = instances
    badge_id, _ = issue(first, "ALPHA", jpeg((200, 30, 30)))
    client = first.test_client()
    AuthActions(first, client).login("sso")
    with first.app_context():
        person_id = db.session.get(Badge, badge_id).person.id
    etag = client.get(f"/watch/photo/{person_id}").headers["ETag"]
    assert (
        client.get(f"/watch/photo/{person_id}", headers={"If-None-Match": etag}).status_code == 304
    )
