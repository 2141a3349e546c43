"""API conventions: times are RFC 3339 date-times in the document, a call without credentials
is a 401 with a Bearer challenge whatever its method, and the access points say if open now."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from gangway.db.models import ApiToken, Movement, Refusal, User
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token, create_user
from gangway.services.accounts.api_tokens import revoke_token
from gangway.web.openapi.document import openapi_document
from tests.conftest import FAST_HASH, build_app, dispose
from tests.integration.test_security import TOKEN_FIELD, count

# A property or parameter is a time by its name; open_at is the plan's levels, not a time.
TIME_NAME = re.compile(r"(_at|_from|_until|^since|^until|^from|^to)$")
NOT_TIMES = {"open_at"}
# ...or by its description: one that names the standard or writes a time out is about a time.
TIME_WORDS = re.compile(r"ISO 8601|RFC 3339|\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
WRITTEN_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ][0-9:.]+(Z|[+-]\d\d:\d\d)?")
SCAN = {"code": "NOPE", "access_point": "MAIN-GW", "direction": "board"}
CALLS = [  # one of each method, a scan first: it was a 400 "CSRF token is missing" before
    ("POST", "/api/v1/scans", SCAN),
    ("PUT", "/api/v1/access-points/MAIN-GW", {"is_enabled": False}),
    ("GET", "/api/v1/onboard", None),
    ("POST", "/api/v1/refusals/acknowledge", {"refusal_ids": [1], "response": "x"}),
]


def time_fields(node, where="") -> list[tuple[str, dict]]:
    """Return (where, schema) for every property and parameter of the document that is a time."""
    found = []
    if isinstance(node, dict):
        for name, schema in (node.get("properties") or {}).items():
            words = schema.get("description", "") if isinstance(schema, dict) else ""
            if name not in NOT_TIMES and (TIME_NAME.search(name) or TIME_WORDS.search(words)):
                found.append((f"{where} {name}", schema))
        if node.get("in") == "query" and TIME_NAME.search(node["name"]):
            found.append((f"{where} ?{node['name']}", node["schema"]))
        for key, value in node.items():
            found += time_fields(value, f"{where}/{key}" if key != "properties" else where)
    elif isinstance(node, list):
        for value in node:
            found += time_fields(value, where)
    return found


def is_rfc3339(text: str) -> bool:
    if not RFC3339.fullmatch(text):
        return False
    datetime.fromisoformat(text.upper())  # a real day and time, not only the shape
    return True


def test_every_time_in_the_api_document_is_an_rfc3339_date_time():
    fields = time_fields(openapi_document()["paths"])
    assert len(fields) > 60  # the walk finds them: inputs, outputs and query parameters
    for where, schema in fields:
        # An empty string, where it means "not sent", is a branch of its own; so is null.
        branches = [
            s for s in schema.get("anyOf", [schema]) if "const" not in s and s.get("type") != "null"
        ]
        for branch in branches:
            assert branch.get("format") == "date-time", where
            examples = [*branch.get("examples", []), *filter(None, [branch.get("example")])]
            written = WRITTEN_TIME.finditer(branch.get("description", ""))
            for example in [*examples, *(m.group() for m in written)]:
                assert is_rfc3339(example), (where, example)


def test_every_operation_documents_the_shared_401_with_its_challenge():
    document = openapi_document()
    shared = document["components"]["responses"]["Unauthorized"]
    assert "WWW-Authenticate" in shared["headers"]
    assert shared["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["responses"]["401"] == {
                "$ref": "#/components/responses/Unauthorized"
            }, f"{method.upper()} {path}"


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    """One app with CSRF protection on, as it runs for real, and an SSO with a token."""
    app = build_app(tmp_path_factory.mktemp("conventions"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = create_user(db.session, "sso", "sso", "correct horse battery", hash_method=FAST_HASH)
        db.session.flush()
        app.config["TEST_TOKEN"] = create_token(db.session, user, "conventions")
        db.session.commit()
    yield app
    dispose(app)


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


@pytest.mark.parametrize(("method", "url", "body"), CALLS, ids=[f"{m} {u}" for m, u, _ in CALLS])
def test_a_call_without_credentials_is_a_401_with_a_bearer_challenge(csrf_app, method, url, body):
    answer = csrf_app.test_client().open(url, method=method, json=body)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="gangway"'
    assert answer.get_json()["error"] == "unauthorized"
    assert answer.get_json()["message"]
    assert (count(csrf_app, Movement), count(csrf_app, Refusal)) == (0, 0)


def test_a_logged_in_session_without_the_csrf_token_still_gets_the_csrf_error(csrf_app):
    client = csrf_app.test_client()
    form_token = TOKEN_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    login = {"username": "sso", "password": "correct horse battery", "csrf_token": form_token}
    assert client.post("/login", data=login).status_code == 302
    answer = client.post("/api/v1/scans", json=SCAN)
    assert (answer.status_code, answer.get_json()["error"]) == (400, "csrf")
    assert count(csrf_app, Refusal) == 0


def test_an_unknown_or_revoked_bearer_token_is_a_401_invalid_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_app.config["TEST_TOKEN"]
    assert client.get("/api/v1/ping", headers=bearer(token)).status_code == 200
    with csrf_app.app_context():
        row = db.session.scalars(select(ApiToken).where(ApiToken.name == "conventions")).one()
        by = db.session.scalars(select(User).where(User.username == "sso")).one()
        revoke_token(db.session, row, by=by, now=utcnow())
    for value in (token, "gw_unknown"):
        for method, url, body in CALLS[:3]:
            answer = client.open(url, method=method, json=body, headers=bearer(value))
            assert answer.status_code == 401, (value, url)
            assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
            assert answer.headers["WWW-Authenticate"].startswith("Bearer ")
            assert answer.get_json()["error"] == "unauthorized"


def test_the_access_points_say_their_plan_and_whether_open_at_the_level_now(client, make_user):
    make_user("sso")
    client.post("/login", data={"username": "sso", "password": "correct horse battery"})

    def points():
        body = client.get("/api/v1/access-points").get_json()
        return body["security_level"], {p["code"]: p for p in body["access_points"]}

    level, by_code = points()
    assert level == 1
    assert by_code["MAIN-GW"]["open_at"] == {"1": True, "2": True, "3": True}
    assert by_code["AFT-LADDER"]["open_at"] == {"1": True, "2": True, "3": False}
    assert by_code["AFT-LADDER"]["is_enabled"] is True
    assert (by_code["MAIN-GW"]["open_now"], by_code["AFT-LADDER"]["open_now"]) == (True, True)

    change = {"level": 3, "reason": "drill", "ordered_by": "own"}
    change["notified_at"] = "2026-01-01T00:00:00Z"
    assert client.put("/api/v1/security-level", json=change).status_code == 200
    level, by_code = points()
    assert level == 3
    assert (by_code["MAIN-GW"]["open_now"], by_code["AFT-LADDER"]["open_now"]) == (True, False)

    off = {"is_enabled": False}
    assert client.put("/api/v1/access-points/AFT-LADDER", json=off).status_code == 200
    _, by_code = points()
    assert by_code["AFT-LADDER"]["is_enabled"] is False  # listed still: the plan shows it
    assert by_code["AFT-LADDER"]["open_now"] is False


def test_a_text_padded_past_its_length_with_a_c1_control_is_refused(client, make_user):
    # The fuzzing found it: str.strip() takes U+0085 (NEL) for a space, so a reason of 300
    # characters passed the 255 limit once trimmed.
    make_user("sso")
    client.post("/login", data={"username": "sso", "password": "correct horse battery"})
    change = {"level": 2, "reason": "drill" + "\x85" * 300, "ordered_by": "own"}
    change["notified_at"] = "2026-01-01T00:00:00Z"
    answer = client.put("/api/v1/security-level", json=change)
    assert (answer.status_code, answer.get_json()["field"]) == (400, "reason")
    assert client.get("/api/v1/security-level").get_json()["level"] == 1
