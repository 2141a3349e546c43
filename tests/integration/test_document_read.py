"""POST /api/v1/documents/read: a photo of a passport, card or licence in, the document out.

The photos are made here (tests/support/document_photos.py: OCR-B zones on a table, photographed
askew), read in the document worker process as in production, once per test.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import replace

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from gangway.db.models import User
from gangway.domain.codes.documents.mrz_make import make_mrz
from gangway.extensions import db
from gangway.imaging import document_pool, ppocr
from gangway.services.accounts.accounts import create_token, create_user
from tests.conftest import FAST_HASH, build_app, dispose
from tests.support.document_photos import (
    Shot,
    Specimen,
    draw_document,
    make_specimen,
    photograph,
)
from tests.unit.test_aamva import US

# Reading writes nothing to the database (only a token is looked up): once is enough, and the OCR
# in a worker process is the costly part of the run.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = build_app(
        tmp_path_factory.mktemp("documents"),
        PHOTO_DECODE="process",
        PHOTO_DECODE_TIMEOUT=60,
        DOCUMENT_WARM=True,  # as `gangway serve` builds its workers' apps
    )
    yield app
    document_pool.shutdown()
    dispose(app)


@pytest.fixture(scope="module")
def post(app):
    """Return a function posting a photo as a user of a role (token callers, no CSRF)."""
    tokens = {role: create_user_token(app, role) for role in ("watch", "pfso")}

    def send(image: bytes, role: str = "watch"):
        # Encoded in memory: the test client spools a body over 500 KB to a file it never closes.
        boundary, body = encode_multipart({"image": FileStorage(io.BytesIO(image), "doc.jpg")})
        return app.test_client().post(
            "/api/v1/documents/read",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Authorization": f"Bearer {tokens[role]}"},
        )

    return send


def create_user_token(app, role: str) -> str:
    with app.app_context():
        user = create_user(db.session, f"doc-{role}", role, "pw-" * 4, role, hash_method=FAST_HASH)
        db.session.commit()
        token = create_token(db.session, db.session.get(User, user.id), "documents")
        db.session.commit()
        return token


def test_the_worker_loads_the_ocr_model_when_the_app_starts_not_at_the_first_read(app):
    assert document_pool.POOL.run(ppocr.is_loaded, timeout=60) is True


def test_a_passport_photographed_askew_reads_whole_and_valid(post):
    rng = random.Random(4)
    passport = make_specimen("TD3", rng)
    shot = Shot(fill=0.6, rotation=-7, tilt=0.04, blur=1.2, glare=0.4, noise=5, quality=80)
    answer = post(photograph(draw_document(passport, rng), shot, rng))
    assert answer.status_code == 200, answer.get_json()
    read, truth = answer.get_json(), passport.document
    assert read["valid"] is True
    assert read["format"] == "TD3"
    assert (read["family_name"], read["given_names"]) == (truth.family_name, truth.given_names)
    assert read["document_number"] == truth.document_number
    assert read["birth_date"] == truth.birth_date.isoformat()
    assert read["expiry_date"] == truth.expiry_date.isoformat()
    assert read["mrz"] == passport.lines
    assert all(check["valid"] for check in read["check_digits"])
    assert document_pool.POOL.executor is not None  # read in the worker process, not in this one
    assert os.getpid() not in [p.pid for p in document_pool.POOL.executor._processes.values()]


def test_a_card_upside_down_reads_its_three_lines(post):
    rng = random.Random(7)
    card = make_specimen("TD1", rng)
    answer = post(photograph(draw_document(card, rng), Shot(fill=0.7, rotation=183), rng))
    assert answer.status_code == 200
    assert answer.get_json()["mrz"] == card.lines
    assert answer.get_json()["valid"] is True


def test_a_card_whose_name_once_misread_with_its_check_digits_right_reads_its_name(post):
    # "DE LA CRUZ<<THI LAN" once read as "DE<LA<CRUZ<KTHI<LAN" (a filler as K) with every check
    # digit holding: names carry none. The line is now read at another stretch, and twice.
    rng = random.Random(0)
    card = make_specimen("TD1", rng)
    named = replace(card.document, given_names=rng.choice(["ANNA MARIA", "JOHN PAUL", "THI LAN"]))
    card = Specimen("TD1", list(make_mrz(named)), named)
    shot = Shot(fill=0.6, rotation=rng.uniform(-8, 8), tilt=0.04, blur=1.5, glare=0.4, noise=6)
    answer = post(photograph(draw_document(card, rng), replace(shot, quality=75), rng))
    assert answer.status_code == 200, answer.get_json()
    read = answer.get_json()
    assert read["valid"] is True
    assert (read["family_name"], read["given_names"]) == ("DE LA CRUZ", "THI LAN")


def test_a_wrong_check_digit_is_read_but_never_valid(post):
    rng = random.Random(9)
    visa = make_specimen("TD2", rng)
    line = visa.lines[1]
    wrong = str((int(line[19]) + 1) % 10)  # the birth date's check digit
    visa.lines[1] = line[:19] + wrong + line[20:]
    answer = post(photograph(draw_document(visa, rng), Shot(), rng))
    assert answer.status_code == 200
    read = answer.get_json()
    assert read["valid"] is False
    assert {c["name"]: c["valid"] for c in read["check_digits"]}["birth_date"] is False
    assert "date of birth" in read["message"]


def test_a_licence_barcode_reads_as_aamva(post):
    barcode = zxingcpp.create_barcode(US, zxingcpp.BarcodeFormat.PDF417)
    picture = Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=3)))
    png = io.BytesIO()
    picture.save(png, "PNG")
    answer = post(png.getvalue())
    assert answer.status_code == 200
    read = answer.get_json()
    assert (read["format"], read["family_name"], read["issuer"]) == ("AAMVA", "SAMPLE", "VA")


def test_a_photo_without_a_zone_or_not_an_image_gets_a_clear_422(post):
    blank = io.BytesIO()
    Image.new("RGB", (1600, 1200), (120, 90, 60)).save(blank, "JPEG")
    answer = post(blank.getvalue())
    assert answer.status_code == 422
    assert "No machine-readable zone found" in answer.get_json()["message"]
    answer = post(b"this is not a photo")
    assert answer.status_code == 422
    assert "not an image" in answer.get_json()["message"]


def test_the_pfso_may_not_read_documents(post):
    assert post(b"irrelevant", role="pfso").status_code == 403
