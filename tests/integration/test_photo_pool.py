"""Photo scans decode in a child process (the scan process's interpreter stays free), in time."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, User
from gangway.extensions import db
from gangway.imaging import decode_pool
from gangway.services.accounts.accounts import create_token
from tests.conftest import build_app, dispose
from tests.support.imaging import photographed_qr_jpeg


@pytest.fixture
def app(tmp_path):
    app = build_app(tmp_path, PHOTO_DECODE="process", PHOTO_DECODE_TIMEOUT=60)
    yield app
    decode_pool.shutdown()
    dispose(app)


@pytest.fixture
def post_photo(app, make_user):
    user = make_user("watch", username="api-watch")
    with app.app_context():
        token = create_token(db.session, db.session.get(User, user.id), "test")
        db.session.commit()
    return lambda image: _post_photo(app, token, image)


def _post_photo(app, token: str, image: bytes):
    fields = {"image": (io.BytesIO(image), "badge.jpg"), "access_point": "MAIN-GW"}
    return app.test_client().post(
        "/api/v1/scans/image",
        headers={"Authorization": f"Bearer {token}"},
        data={**fields, "direction": "board"},
    )


def _movements(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Movement))


def test_a_photo_is_decoded_in_a_child_process_and_the_scan_recorded(app, post_photo, make_badge):
    response = post_photo(photographed_qr_jpeg(make_badge(), seed=3))
    assert response.status_code == 201
    assert response.get_json()["verdict"] == "allowed"
    children = [p.pid for p in decode_pool.POOL.executor._processes.values()]
    assert children
    assert os.getpid() not in children
    assert _movements(app) == 1


def test_a_decode_past_its_timeout_is_refused_in_words_and_writes_nothing(
    app, post_photo, make_badge
):
    app.config["PHOTO_DECODE_TIMEOUT"] = 0.001  # a child process cannot even start in that time
    response = post_photo(photographed_qr_jpeg(make_badge(), seed=3))
    assert response.status_code == 422
    assert response.get_json()["message"] == decode_pool.TOO_SLOW
    assert _movements(app) == 0
    app.config["PHOTO_DECODE_TIMEOUT"] = 60  # a new pool reads the next photo
    response = post_photo(photographed_qr_jpeg(make_badge(), seed=4))
    assert response.status_code == 201
