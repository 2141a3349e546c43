"""Fuzz the JSON API from its own OpenAPI document: no 5xx, documented answers, no stray writes.

Schemathesis generates valid and invalid requests for every operation of /api/v1/openapi.json
and sends them to the WSGI app in-process, with an SSO's and a watch's bearer token. One app on
an in-memory SQLite database serves the whole module; SQLite's `total_changes` counts every row
inserted, updated or deleted, so a refused request (4xx) that wrote anything is caught.
"""

from __future__ import annotations

import zlib
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from gangway.extensions import db
from gangway.keys import KEY_ID, signing_key
from gangway.models import Person
from gangway.services.accounts import create_token, create_user
from gangway.services.badges import issue_badge
from gangway.views.openapi import openapi_document
from gangway.views.openapi_common import ERROR_REF
from tests.conftest import FAST_HASH, NOW, PASSWORD, build_app, dispose

CASES: Counter = Counter()  # requests sent, by role (and the unreadable ones among them)
STATUSES: Counter = Counter()
schema = schemathesis.openapi.from_dict(openapi_document())
# The tokens below authenticate; generated Authorization headers would only replace them.
schema.config.generation.update(with_security_parameters=False)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Random text never names an access point or a badge, and never hits the edges of time, so the
# checks behind validation would go untested: in three valid requests of four, text fields that
# take these get a real or an awkward value (a deterministic choice: runs stay reproducible).
# Scan fields that need others (manual needs person_id, late scans need client_key, ...).
OPTIONAL_EXTRAS = {"method", "person_id", "escort_person_id", "client_key", "scanned_at"}
OPTIONAL_EXTRAS |= {"offline_verdict", "pack_id"}
EDITED: set[int] = set()  # ids of the cases before_call edited
# One valid request in eight gets a text field no field can hold (a lone surrogate, NUL, a
# control character) or a deeply nested value instead: each must be a 400 that writes nothing.
UNREADABLE = ["\udc80", "HANSEN\x00", "a\x1b[31m", "\x7f", "ok\ud83dx"]
KNOWN = {"access_point": ["MAIN-GW", "AFT-LADDER"], "code": [], "escort": []}
TIMES = [
    "2026-11-22T16:00",
    "2026-11-22T16:00:00+14:00",
    "0001-01-01T00:00+01:00",  # before year 1 in UTC
    "9999-12-31T23:59-01:00",  # after year 9999 in UTC
    "1969-12-31T23:00",  # before the Unix epoch
    "2106-02-08T00:00Z",  # after 32-bit Unix time
]


@schemathesis.hook  # global scope: the only one before_call allows; this module is its only user
def before_call(context, case, kwargs):
    """Put real codes, access points and awkward times into valid generated bodies, in place.

    Invalid (negative) cases are left alone: an edit could make them valid, and then accepted.
    An edited case is not held to negative_data_rejection either (see `call`).
    """
    body, meta = case.body, case.meta
    positive = meta is not None and meta.generation.mode is schemathesis.GenerationMode.POSITIVE
    if not positive or not isinstance(body, dict):
        return
    pick = zlib.crc32(repr(body).encode())
    if pick % 4 == 0:
        return
    if pick % 2 and "access_point" in body:  # half the scans plain: no extras that conflict
        for name in OPTIONAL_EXTRAS & body.keys():
            del body[name]
        body.setdefault("code", "")  # filled in below
    for name, value in body.items():
        choices = KNOWN.get(name) or (TIMES if name.endswith(("_at", "_from", "_until")) else [])
        if isinstance(value, str) and choices:
            body[name] = choices[pick % len(choices)]
            EDITED.add(id(case))


def spoiled(case) -> tuple[str, dict | None, dict | None] | None:
    """Return one valid case in eight with an unreadable text (or, in a body, a value nested
    40 deep) in one of its fields: what was spoiled, the body and the query to send instead.

    The case itself is left alone: schemathesis re-validates an edited case, and its validator
    cannot encode a lone surrogate.
    """
    meta = case.meta
    if meta is None or meta.generation.mode is not schemathesis.GenerationMode.POSITIVE:
        return None
    pick = zlib.crc32(repr((case.body, case.query)).encode())
    if pick % 8 != 1:
        return None
    for where in ("body", "query"):
        fields = getattr(case, where)
        fields = fields if isinstance(fields, dict) else {}
        names = [n for n, v in fields.items() if isinstance(v, str)]
        if names:
            name = names[pick % len(names)]
            value: object = UNREADABLE[pick % len(UNREADABLE)]
            if where == "query" and "\ud800" <= max(value) <= "\udfff":
                value = UNREADABLE[1]  # a URL cannot carry a lone surrogate: UTF-8 has none
            if where == "body" and pick % 3 == 0:
                value = []
                for _ in range(40):
                    value = [value]
            body = dict(case.body) if isinstance(case.body, dict) else None
            query = dict(case.query) if isinstance(case.query, dict) else {}
            (body if where == "body" else query)[name] = value
            return f"{where} {name}", body, query
    return None


FUZZ = settings(
    max_examples=189,  # 165 before one in eight became an unreadable-input case
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One app on an in-memory database, with a crew badge, a visitor and a token per role."""
    app = build_app(tmp_path_factory.mktemp("fuzz"), SQLALCHEMY_DATABASE_URI="sqlite://")
    tokens = {}
    with app.app_context():
        for role in ("sso", "watch"):
            user = create_user(db.session, role, role, PASSWORD, role, hash_method=FAST_HASH)
            db.session.flush()
            tokens[role] = {"Authorization": f"Bearer {create_token(db.session, user, 'fuzz')}"}
        for kind in ("crew", "visitor"):
            person = Person(kind=kind, family_name="FUZZ", given_names=kind)
            db.session.add(person)
            db.session.flush()
            badge = issue_badge(
                db.session,
                person,
                valid_from=NOW - timedelta(days=1),
                valid_until=NOW + timedelta(days=30),
                private_key=signing_key(),
                key_id=KEY_ID,
                now=NOW,
            )
            KNOWN["code"].append(badge.code)
            KNOWN["escort"].append(badge.code)
        db.session.commit()
    yield app, tokens
    print(f"\nfuzz: {sum(CASES.values())} generated requests", dict(CASES), dict(STATUSES))
    dispose(app)


def changes(app) -> int:
    """Return how many rows the app's one SQLite connection has written so far."""
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            return raw.driver_connection.total_changes
        finally:
            raw.close()


def call(api, case, role):
    app, tokens = api
    CASES[role] += 1
    before = changes(app)
    if spoil := spoiled(case):
        what, body, query = spoil
        CASES["unreadable"] += 1
        path = "/api/v1" + case.formatted_path
        answer = app.test_client().open(
            path, method=case.method, json=body, query_string=query, headers=tokens[role]
        )
        assert answer.status_code == 400, (what, path, answer.status_code)
        assert answer.get_json()["error"] == "bad_input", (what, path, answer.data)
        assert changes(app) == before, f"{what}: refused but rows were written"
        return answer
    response = case.call(app=app, headers=tokens[role])
    STATUSES[f"{role} {case.method} {case.path} {response.status_code}"] += 1
    checks = CHECKS[:-1] if id(case) in EDITED else CHECKS  # all but negative_data_rejection
    EDITED.discard(id(case))
    case.validate_response(response, checks=checks, headers=tokens[role])
    if 400 <= response.status_code < 500:
        assert changes(app) == before, f"{response.status_code} but rows were written"
    return response


@schema.parametrize()
@FUZZ
def test_api_as_sso(api, case):
    call(api, case, "sso")


@schema.parametrize()
@FUZZ
def test_api_as_watch(api, case):
    call(api, case, "watch")


def test_the_fuzzed_document_is_the_one_the_app_serves(api):
    app, _ = api
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == schema.raw_schema


def test_every_error_response_uses_the_one_shared_error_schema():
    document = openapi_document()
    shared = document["components"]["responses"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = shared[response["$ref"].rsplit("/", 1)[1]]
                if status.startswith(("4", "5")):
                    body = response["content"]["application/json"]["schema"]
                    refs = [body, *body.get("anyOf", []), *body.get("allOf", [])]
                    assert ERROR_REF in refs, f"{method.upper()} {path} {status}"


FOUND = [  # what the fuzzing found: each was a 500 before its fix
    ("GET", "/api/v1/refusals?limit=%C2%B2", None),  # '²'.isdigit() but int('²') fails
    ("GET", "/api/v1/refusals?limit=", None),  # not a 500: a 200, "" read as the default
    ("GET", "/api/v1/refusals?since=0001-01-01T00:00%2B01:00", None),  # before year 1 in UTC
    ("GET", "/api/v1/movements?from=9999-12-31T23:59-01:00", None),  # after year 9999
    ("PUT", "/api/v1/security-level", {"notified_at": "9999-12-31T23:59-01:00"}),
    ("POST", "/api/v1/declarations", {"valid_from": "0001-01-01T00:00+01:00"}),
    ("POST", "/api/v1/port-calls", {"port_name": "X", "arrived_at": "0001-01-01T00:00+01:00"}),
    ("POST", "/api/v1/visitors", {"family_name": "X", "purpose": "Y", "valid_until": "2107-01-01"}),
]


@pytest.mark.parametrize(("method", "url", "body"), FOUND, ids=[u for _, u, _ in FOUND])
def test_inputs_the_fuzzing_found_are_refused_with_400_not_a_server_error(api, method, url, body):
    app, tokens = api
    base = {"level": 2, "reason": "drill", "ordered_by": "own", "notified_at": "2026-11-22T16:00"}
    response = app.test_client().open(
        url, method=method, json={**base, **body} if body else None, headers=tokens["sso"]
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_input"
