"""The JSON API: bearer tokens, the documented shapes, the same records as the pages."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from gangway.db.models import Movement, Refusal, User
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token
from tests.support.imaging import photographed_qr_jpeg, qr_png


@pytest.fixture
def token(app, make_user):
    def make(role="watch"):
        user = make_user(role, username=f"api-{role}")
        with app.app_context():
            value = create_token(db.session, db.session.get(User, user.id), "test")
            db.session.commit()
        return {"Authorization": f"Bearer {value}"}

    return make


def records(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Movement)),
            db.session.scalar(select(func.count()).select_from(Refusal)),
        )


def scan(client, headers, code, **extra):
    body = {"code": code, "access_point": "MAIN-GW", "direction": "board", **extra}
    return client.post("/api/v1/scans", json=body, headers=headers)


def test_scan_by_api_returns_the_documented_result(app, client, token, make_badge):
    response = scan(client, token(), make_badge())
    assert response.status_code == 201
    body = response.get_json()
    assert body["verdict"] == "allowed"
    assert body["reasons"] == []
    assert body["person"]["name"] == "HANSEN, Erik"
    assert body["person"]["kind"] == "crew"
    assert body["record_id"].startswith("m-")
    assert records(app) == (1, 0)


def test_refused_scan_by_api_names_the_reason_and_the_refusal_record(
    app, client, token, make_badge
):
    code = make_badge()
    body = scan(client, token(), code[:-1] + ("A" if code[-1] != "A" else "B")).get_json()
    assert body["verdict"] == "refused"
    assert body["reasons"][0]["code"] == "forged"
    assert body["reasons"][0]["message"]
    assert body["person"] is None
    assert body["record_id"].startswith("r-")
    assert records(app) == (0, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "x", "access_point": "NOWHERE", "direction": "board"}, "access_point"),
        ({"code": "x", "access_point": "MAIN-GW", "direction": "up"}, "direction"),
        ({"code": "", "access_point": "MAIN-GW", "direction": "board"}, "code"),
        ({"code": 42, "access_point": "MAIN-GW", "direction": "board"}, "code"),
        ({"code": "x", "access_point": ["MAIN-GW"], "direction": "board"}, "access_point"),
    ],
)
def test_bad_scan_requests_are_400_with_the_field_and_write_nothing(
    app, client, token, body, field
):
    response = client.post("/api/v1/scans", json=body, headers=token())
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert response.get_json()["message"]
    assert records(app) == (0, 0)


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b"null"])
def test_non_object_json_is_refused_cleanly(app, client, token, payload):
    response = client.post(
        "/api/v1/scans", data=payload, headers={**token(), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert records(app) == (0, 0)


def test_photo_scan_by_api_decodes_then_decides(app, client, token, make_badge):
    image = photographed_qr_jpeg(make_badge(), seed=3)
    response = client.post(
        "/api/v1/scans/image",
        headers=token(),
        data={
            "image": (io.BytesIO(image), "badge.jpg"),
            "access_point": "MAIN-GW",
            "direction": "board",
        },
    )
    assert response.status_code == 201
    assert response.get_json()["verdict"] == "allowed"
    with app.app_context():
        assert db.session.scalars(select(Movement.method)).one() == "photo"


def test_photo_without_a_code_is_422_and_writes_nothing(app, client, token):
    from PIL import Image

    blank = io.BytesIO()
    Image.new("L", (400, 300), 255).save(blank, "PNG")
    response = client.post(
        "/api/v1/scans/image",
        headers=token(),
        data={
            "image": (io.BytesIO(blank.getvalue()), "blank.png"),
            "access_point": "MAIN-GW",
            "direction": "board",
        },
    )
    assert response.status_code == 422
    assert "No QR" in response.get_json()["message"]
    assert records(app) == (0, 0)


def test_non_image_upload_is_refused_with_a_message(app, client, token):
    response = client.post(
        "/api/v1/scans/image",
        headers=token(),
        data={
            "image": (io.BytesIO(b"%PDF-1.4 not an image"), "x.pdf"),
            "access_point": "MAIN-GW",
            "direction": "board",
        },
    )
    assert response.status_code == 422
    assert "not an image" in response.get_json()["message"]
    assert records(app) == (0, 0)


def test_upload_over_the_size_limit_is_refused_before_reading_it(app, client, token):
    # A small limit keeps the test body in memory (bigger ones spool to a temp file in the client).
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024
    response = client.post(
        "/api/v1/scans/image",
        headers=token(),
        data={
            "image": (io.BytesIO(b"\0" * (200 * 1024)), "big.jpg"),
            "access_point": "MAIN-GW",
            "direction": "board",
        },
    )
    assert response.status_code == 413
    assert "too large" in response.get_json()["message"]
    assert records(app) == (0, 0)


def test_photo_with_bad_access_point_is_refused_before_decoding(app, client, token):
    response = client.post(
        "/api/v1/scans/image",
        headers=token(),
        data={
            "image": (io.BytesIO(qr_png("x")), "a.png"),
            "access_point": "NOPE",
            "direction": "board",
        },
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "access_point"


def test_onboard_lists_who_boarded_with_counts_by_kind(app, client, token, make_badge):
    headers = token("sso")
    scan(client, headers, make_badge())
    body = client.get("/api/v1/onboard", headers=headers).get_json()
    assert body["total"] == 1
    assert body["counts"]["crew"] == 1
    assert body["counts"]["visitor"] == 0
    assert body["persons"][0]["name"] == "HANSEN, Erik"
    assert body["persons"][0]["access_point"] == "MAIN-GW"


def test_access_points_are_listed(client, token):
    body = client.get("/api/v1/access-points", headers=token()).get_json()
    assert {p["code"] for p in body["access_points"]} == {"MAIN-GW", "AFT-LADDER"}


def test_api_without_credentials_is_401_json(client):
    response = client.get("/api/v1/onboard")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert (
        client.get("/api/v1/onboard", headers={"Authorization": "Bearer gw_nope"}).status_code
        == 401
    )


def test_pfso_may_not_record_scans(app, client, token, make_badge):
    response = scan(client, token("pfso"), make_badge())
    assert response.status_code == 403
    assert records(app) == (0, 0)


def openapi_paths(rule: str) -> set[str]:
    """Spell a Flask rule as OpenAPI paths: {name} variables, one path per any(...) choice."""
    import re

    rule = re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule)
    choice = re.search(r"<any\(([^)]*)\):\w+>", rule)
    if not choice:
        return {rule}
    return {rule.replace(choice.group(0), c.strip()) for c in choice.group(1).split(",")}


def test_openapi_document_describes_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {"/api/v1" + path for path in doc["paths"]}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api") and rule.rule != "/api/v1/openapi.json":
            routes |= openapi_paths(rule.rule)
    assert routes == documented


def test_session_caller_must_send_the_csrf_token(tmp_path, make_badge):
    from tests.conftest import PASSWORD, build_app, dispose

    app = build_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            from gangway.services.accounts.accounts import create_user

            create_user(db.session, "w", "watch", PASSWORD)
            db.session.commit()
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        csrf = login_page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"username": "w", "password": PASSWORD, "csrf_token": csrf})
        body = {"code": "x", "access_point": "MAIN-GW", "direction": "board"}
        response = client.post("/api/v1/scans", json=body)
        assert response.status_code == 400
        assert response.get_json()["error"] == "csrf"
        ok = client.post("/api/v1/scans", json=body, headers={"X-CSRFToken": csrf})
        assert ok.status_code == 201
    finally:
        dispose(app)


def test_unknown_api_route_is_json_404(client, token):
    response = client.get("/api/v1/nothing-here", headers=token())
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
