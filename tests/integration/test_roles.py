"""Roles on every route: who may read and who may write, for every registered URL rule."""

from __future__ import annotations

import re

import pytest

SCANNERS = {"watch", "sso", "master"}  # the master may override a suspended departure
SSO = {"sso"}
SSO_MASTER = {"sso", "master"}
LISTS = {"sso", "admin"}
LOG_READERS = {"pfso", "sso", "master", "admin"}
ADMIN = {"admin"}
EVERYONE = {"watch", "sso", "pfso", "master", "admin"}
ROUTES = [  # (method, URL rule, roles allowed)
    ("GET", "/watch/", SCANNERS),
    ("POST", "/watch/scan", SCANNERS),
    ("GET", "/watch/onboard-count", SCANNERS),
    ("POST", "/watch/access-point", SCANNERS),
    ("GET", "/watch/photo/<int:person_id>", SCANNERS | {"master"}),
    ("GET", "/api/v1/offline-pack", SCANNERS),
    ("GET", "/sso/onboard", SSO_MASTER),
    ("GET", "/sso/visitors/new", SSO),
    ("POST", "/sso/visitors/new", SSO),
    ("GET", "/sso/visitors/group", SSO),
    ("POST", "/sso/visitors/group", SSO),
    ("GET", "/sso/badges/", SSO_MASTER),
    ("GET", "/sso/badges/<int:badge_id>", SSO_MASTER),
    ("GET", "/sso/badges/<int:badge_id>/card.<any(pdf, png):fmt>", SSO_MASTER),
    ("GET", "/sso/badges/sheet.pdf", SSO_MASTER),
    ("GET", "/sso/badges/crew.pdf", SSO_MASTER),
    ("POST", "/sso/badges/<int:badge_id>/revoke", SSO),
    ("POST", "/sso/badges/<int:badge_id>/reissue", SSO),
    ("GET", "/sso/crew/", SSO_MASTER),
    ("GET", "/sso/crew/<int:person_id>/sign-off", SSO),
    ("GET", "/sso/crew/<int:person_id>/sign-on", SSO),
    ("POST", "/sso/crew/<int:person_id>/sign-off", SSO),
    ("POST", "/sso/crew/<int:person_id>/sign-on", SSO),
    ("GET", "/sso/crew/new", SSO),
    ("POST", "/sso/crew/new", SSO),
    ("POST", "/api/v1/scans", SCANNERS),
    ("POST", "/api/v1/scans/image", SCANNERS),
    ("GET", "/api/v1/onboard", SCANNERS | {"master"}),
    ("GET", "/api/v1/access-points", {"watch", "sso", "master", "pfso", "admin"}),
    ("GET", "/api/v1/ping", {"watch", "sso", "master", "pfso", "admin"}),
    ("POST", "/api/v1/visitors", SSO),
    ("GET", "/api/v1/plan/passback", SSO_MASTER),
    ("PUT", "/api/v1/plan/passback", SSO),
    ("POST", "/api/v1/badges/<int:badge_id>/revoke", SSO),
    ("GET", "/api/v1/badges/<int:badge_id>/card.<any(pdf, png):fmt>", SSO_MASTER),
    ("GET", "/sso/watch-list/", SSO_MASTER),
    ("POST", "/sso/watch-list/", SSO),
    ("POST", "/sso/watch-list/<int:entry_id>/remove", SSO),
    ("GET", "/watch/manual/", SCANNERS),
    ("GET", "/watch/manual/search", SCANNERS),
    ("GET", "/watch/manual/<int:person_id>", SCANNERS),
    ("POST", "/watch/manual/<int:person_id>", SCANNERS),
    ("GET", "/api/v1/people", SCANNERS | {"master"}),
    ("GET", "/sso/lists/crew", LISTS),
    ("GET", "/sso/lists/passengers", LISTS),
    ("POST", "/sso/lists/crew/preview", LISTS),
    ("POST", "/sso/lists/passengers/preview", LISTS),
    ("POST", "/sso/lists/crew/import", LISTS),
    ("POST", "/sso/lists/passengers/import", LISTS),
    ("GET", "/sso/lists/crew/jobs/<int:job_id>", LISTS),
    ("GET", "/sso/lists/passengers/jobs/<int:job_id>", LISTS),
    ("GET", "/sso/lists/crew/template.csv", LISTS),
    ("GET", "/sso/lists/passengers/template.csv", LISTS),
    ("GET", "/sso/lists/crew/export.csv", LISTS),
    ("GET", "/sso/lists/crew/export.xlsx", LISTS),
    ("POST", "/api/v1/imports/crew", LISTS),
    ("POST", "/api/v1/imports/passengers", LISTS),
    ("GET", "/api/v1/imports/crew/template.csv", LISTS),
    ("GET", "/api/v1/imports/passengers/template.csv", LISTS),
    ("GET", "/sso/refusals/", SSO_MASTER),
    ("POST", "/sso/refusals/<int:refusal_id>/acknowledge", SSO),
    ("POST", "/sso/refusals/acknowledge", SSO),
    ("GET", "/sso/refusals/alerts", SSO_MASTER),
    ("GET", "/sso/refusals/<int:refusal_id>/incident.pdf", SSO_MASTER),
    ("GET", "/api/v1/refusals", SSO_MASTER),
    ("POST", "/api/v1/refusals/<int:refusal_id>/acknowledge", SSO),
    ("POST", "/api/v1/refusals/acknowledge", SSO),
    ("GET", "/sso/security/", SSO_MASTER),
    ("POST", "/sso/security/level", SSO_MASTER),
    ("POST", "/sso/security/port-level", SSO_MASTER),
    ("GET", "/sso/security/declarations", SSO_MASTER),
    ("POST", "/sso/security/declarations", SSO_MASTER),
    ("GET", "/level-band", {"watch", "sso", "pfso", "master", "admin"}),
    ("GET", "/api/v1/security-level", {"watch", "sso", "pfso", "master", "admin"}),
    ("PUT", "/api/v1/security-level", SSO_MASTER),
    ("GET", "/api/v1/declarations", SSO_MASTER | {"pfso"}),
    ("POST", "/api/v1/declarations", SSO_MASTER),
    ("GET", "/sso/plan/", SSO_MASTER),
    ("POST", "/sso/plan/points", SSO),
    ("POST", "/sso/plan/points/new", SSO),
    ("POST", "/sso/plan/settings", SSO),
    ("POST", "/sso/plan/suspension", SSO_MASTER),
    ("POST", "/sso/plan/responders/<int:person_id>", SSO),
    ("POST", "/sso/plan/crew-at-level-3", SSO),
    ("POST", "/sso/plan/passback", SSO),
    ("GET", "/sso/voyages/", SSO_MASTER),
    ("GET", "/sso/voyages/<int:voyage_id>", SSO_MASTER),
    ("GET", "/sso/voyages/<int:voyage_id>.csv", SSO_MASTER),
    ("PUT", "/api/v1/access-points/<code>", SSO),
    ("GET", "/sso/muster", SSO_MASTER),
    ("GET", "/sso/muster.pdf", SSO_MASTER),
    # A PFSO reads reports of their own facility's calls only; call 1 has none, so 403 here.
    ("GET", "/reports/port-calls/<int:call_id>", SSO_MASTER),
    ("GET", "/reports/port-calls/<int:call_id>.pdf", SSO_MASTER),
    ("GET", "/reports/port-calls/<int:call_id>.csv.zip", SSO_MASTER),
    ("POST", "/reports/port-calls/<int:call_id>/sign-off", SSO),
    ("POST", "/reports/port-calls/<int:call_id>/stored/revise", SSO),
    ("POST", "/reports/port-calls/<int:call_id>/email", SSO),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.html", SSO_MASTER),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.pdf", SSO_MASTER),
    ("GET", "/api/v1/jobs/<int:job_id>", LISTS),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.csv.zip", SSO_MASTER),
    ("GET", "/reports/port-calls/<int:call_id>/stored/<any(pdf, csv, html):kind>", SSO_MASTER),
    ("GET", "/api/v1/port-calls/<int:call_id>/report-snapshot", SSO_MASTER),
    ("POST", "/api/v1/port-calls/<int:call_id>/report-revisions", SSO),
    (
        "GET",
        "/api/v1/port-calls/<int:call_id>/report-snapshot/<any(pdf, csv, html):kind>",
        SSO_MASTER,
    ),
    ("GET", "/sso/port-calls/", SSO_MASTER),
    ("POST", "/sso/port-calls/", SSO),
    ("POST", "/sso/port-calls/<int:call_id>/close", SSO),
    ("POST", "/sso/port-calls/<int:call_id>/share-documents", SSO),
    ("GET", "/api/v1/port-calls", SSO_MASTER | {"pfso"}),
    ("POST", "/api/v1/port-calls", SSO),
    ("POST", "/api/v1/port-calls/<int:call_id>/close", SSO),
    ("POST", "/api/v1/port-calls/<int:call_id>/share-documents", SSO),
    ("GET", "/api/v1/movements", LOG_READERS),
    ("GET", "/pfso/", LOG_READERS),
    ("GET", "/pfso/log", LOG_READERS),
    ("GET", "/pfso/log.csv", LOG_READERS),
    ("GET", "/admin/users", ADMIN),
    ("POST", "/admin/users", ADMIN),
    ("GET", "/admin/users/<int:user_id>", ADMIN),
    ("POST", "/admin/users/<int:user_id>/role", ADMIN),
    ("POST", "/admin/users/<int:user_id>/facility", ADMIN),
    ("POST", "/admin/users/<int:user_id>/enabled", ADMIN),
    ("POST", "/admin/users/<int:user_id>/password", ADMIN),
    ("GET", "/admin/tokens", ADMIN),
    ("POST", "/admin/tokens", ADMIN),
    ("POST", "/admin/tokens/<int:token_id>/revoke", ADMIN),
    ("POST", "/admin/tokens/<int:token_id>/device", ADMIN),
    ("GET", "/admin/audit", ADMIN),
    ("POST", "/admin/audit/verify", ADMIN),
    ("GET", "/account/password", EVERYONE),
    ("POST", "/account/password", EVERYONE),
]
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/static/<path:filename>"),
    ("GET", "/watch/sw.js"),  # the service worker's code: it grants nothing
}


def url_for_rule(rule: str) -> str:
    """Fill a rule's variables with values that reach the view (ids that need not exist)."""
    rule = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule)
    return re.sub(r"<int:[^>]+>", "1", rule)


def _status(client, method: str, rule: str) -> int:
    return client.open(
        url_for_rule(rule), method=method, data={} if method == "POST" else None
    ).status_code


@pytest.mark.parametrize("role", ["watch", "sso", "pfso", "master", "admin"])
def test_every_route_enforces_its_roles(auth, client, make_user, role):
    """Each role against every route, on one database (one app per route and role cost a
    minute and a half of the test run): logged in again before each request, since a route
    the role may use can change its session (log out). Record 1 of every kind is someone
    else's: the admin's routes on user 1 change another account, not the one testing."""
    make_user("watch", "someone-else")
    wrong = []
    for method, rule, allowed in ROUTES:
        auth.login(role)
        status = _status(client, method, rule)
        if (role in allowed) == (status in (401, 403)) or (role not in allowed and status != 403):
            wrong.append(
                f"{method} {rule}: {status} ({'allowed' if role in allowed else 'refused'})"
            )
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_every_route_turns_away_anonymous_callers(client):
    wrong = [
        f"{method} {rule}: {status}"
        for method, rule, _ in ROUTES
        if (status := _status(client, method, rule)) not in (302, 401)
    ]
    assert not wrong, "; ".join(wrong)


def test_every_registered_route_is_in_the_role_table(app):
    registered = {
        (method, r.rule)
        for r in app.url_map.iter_rules()
        for method in r.methods - {"HEAD", "OPTIONS"}
    }
    assert registered - PUBLIC == {(m, r) for m, r, _ in ROUTES}


def test_the_pfso_may_write_nowhere():
    """The shore-side PFSO is read-only: no state-changing route in the table admits the role."""
    writes = [(m, r) for m, r, allowed in ROUTES if m != "GET" and "pfso" in allowed]
    assert writes == [("POST", "/account/password")]  # their own password, not a record
    assert not any(m != "GET" for m, _ in PUBLIC - {("POST", "/login"), ("POST", "/logout")})
