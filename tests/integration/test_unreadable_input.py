"""No input gives a 500: NUL, control characters, lone surrogates and deep JSON are a 400 that
names the field and changes nothing, on every route (SQLite, and PostgreSQL under
scripts/with-postgres.sh, which refuses NUL in text outright)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gangway.extensions import db

UNREADABLE = {"surrogate": "\udc80", "nul": "HANSEN\x00", "escape": "a\x1b[31mb", "del": "x\x7f"}
FIELDS = [
    "code",
    "family_name",
    "given_names",
    "purpose",
    "company",
    "name",
    "reason",
    "note",
    "port_name",
    "username",
    "password",
    "display_name",
    "access_point",
    "direction",
    "document_number",
    "host",
]


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        tables = db.metadata.sorted_tables
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


def post_routes(app) -> list[str]:
    """Every route that takes a POST, PUT or PATCH, its parameters filled with 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.methods & {"POST", "PUT", "PATCH"} and rule.endpoint != "static":
            urls.append((rule.rule, sorted(rule.methods & {"POST", "PUT", "PATCH"})[0]))
    return [(_filled(rule), method) for rule, method in urls]


def _filled(rule: str) -> str:
    import re

    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "1", rule)


@pytest.mark.parametrize("kind", UNREADABLE)
def test_every_route_refuses_unreadable_text_with_a_400_and_changes_nothing(
    app, auth, client, kind
):
    auth.login("sso")
    before = row_counts(app)
    bad = dict.fromkeys(FIELDS, UNREADABLE[kind])
    routes = post_routes(app)
    assert len(routes) > 40
    for url, method in routes:
        if url.startswith("/api/"):
            answer = client.open(url, method=method, json=bad)
            assert answer.status_code == 400, (url, answer.status_code)
            assert answer.get_json()["error"] == "bad_input", url
            assert answer.get_json()["field"] in FIELDS, url
        elif kind != "surrogate":  # a form travels as UTF-8, which has no lone surrogates
            answer = client.open(url, method=method, data=bad)
            assert answer.status_code == 400, (url, answer.status_code)
            assert "contains a control character" in answer.get_data(as_text=True), url
    assert row_counts(app) == before


def test_a_watch_scanning_a_code_with_a_control_character_is_told_so(app, auth, client):
    auth.login("watch")
    answer = client.post("/watch/scan", data={"code": "GW1:\x1dX"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200  # htmx swaps the message into the verdict box
    assert "contains a control character (U+001D)" in answer.get_data(as_text=True)


@pytest.mark.parametrize("depth", [20, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(app, auth, client, depth):
    auth.login("watch")
    body = '{"code": ' + "[" * depth + "]" * depth + ', "access_point": "MAIN-GW"}'
    answer = client.post("/api/v1/scans", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert "nested too deeply" in answer.get_json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/movements?from=%00",
        "/api/v1/refusals?since=2026%00",
        "/api/v1/people?q=HAN%00SEN",
        "/pfso/log?q=%1B",
        "/sso/visitors/new?purpose=%00",
    ],
)
def test_a_query_string_or_url_part_with_a_control_character_is_a_400(app, auth, client, url):
    auth.login("sso")
    answer = client.get(url)
    assert answer.status_code == 400


def test_tabs_and_new_lines_are_still_text(app, auth, client):
    auth.login("sso")
    body = {"code": "GW1:NOTABADGE\t", "access_point": "MAIN-GW", "direction": "board"}
    assert client.post("/api/v1/scans", json=body).status_code == 201
