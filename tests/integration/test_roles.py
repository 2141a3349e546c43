"""Roles on every route: who may read and who may write, for every registered URL rule.

Who may do what is the one table in gangway.domain.accounts.permissions; each view names its
permission. Here each route's permission is listed, and what every permission must mean
(MEANS), so that a change to either, a route's permission or a permission's roles, fails here
until it is made on purpose.
"""

from __future__ import annotations

import re

import pytest

from gangway.domain.accounts.permissions import PERMISSIONS
from gangway.web.auth import SESSION_ID
from gangway.web.roles import can, permission_required

SCANNERS = {"watch", "sso", "master"}  # the master may override a suspended departure
SSO = {"sso"}
SSO_MASTER = {"sso", "master"}
LISTS = {"sso", "admin"}
LOG_READERS = {"pfso", "sso", "master", "admin"}
ADMIN = {"admin"}
EVERYONE = {"watch", "sso", "pfso", "master", "admin", "cso"}
MEANS = {  # permission: the roles that must hold it (the table must say the same)
    "scan.record": SCANNERS,
    "scan.override": {"master"},
    "people.documents": SSO_MASTER,
    "documents.read": SCANNERS,  # read a document's zone from a photo (issue 18)
    "people.document_photo": SCANNERS,  # a document photo kept on the record (issue 18)
    "people.document_photo_delete": SSO,
    "people.photo_ashore": SSO,  # send a photo ashore (issue 17 point 2)
    "onboard.read": SSO_MASTER,
    "access_points.read": EVERYONE,
    "level.read": EVERYONE,
    "account.password": EVERYONE,
    "api.ping": EVERYONE,
    "badges.read": SSO_MASTER,
    "badges.issue": SSO,
    "badges.revoke": SSO,
    "crew.read": SSO_MASTER,
    "crew.edit": SSO,
    "watch_list.read": SSO_MASTER,
    "watch_list.edit": SSO,
    "plan.read": SSO_MASTER,
    "plan.edit": SSO,
    "plan.suspend": SSO_MASTER,
    "muster.read": SSO_MASTER,
    "level.set": SSO_MASTER,
    "declarations.read": SSO_MASTER | {"pfso"},
    "declarations.record": SSO_MASTER,
    "refusals.read": SSO_MASTER,
    "refusals.acknowledge": SSO,
    "voyages.read": SSO_MASTER,
    "port_calls.read": SSO_MASTER,
    "port_calls.list": SSO_MASTER | {"pfso"},
    "port_calls.edit": SSO,
    "port_calls.facility_only": {"pfso"},
    "session.idle_logout": {"watch"},
    "reports.read": SSO_MASTER | {"pfso"},
    "reports.errors": SSO_MASTER,
    "reports.sign": SSO,
    "reports.revise": SSO,
    "reports.send": SSO,
    "log.read": LOG_READERS,
    "log.menu": LOG_READERS - ADMIN,
    "lists.import": LISTS,
    "lists.export": LISTS,
    "lists.menu": SSO,
    "users.manage": ADMIN,
    "tokens.manage": ADMIN,
    "audit.verify": ADMIN,
    # Issue 19: the Security Report.
    "particulars.read": SSO_MASTER,
    "particulars.edit": SSO,
    "sts.read": SSO_MASTER,
    "sts.record": SSO,
    "security_report.read": SSO_MASTER,
    "certificate.alert": SSO_MASTER,
    "inspections.issue": SSO_MASTER,  # issue 19: a port state control officer's access
    "fleet.read": {"cso"},
    "fleet.search": {"cso", "admin"},  # ashore: the fleet-wide search of people and refusals
    "fleet_watch.read": {"cso"},
    "fleet_watch.edit": {"cso"},
    "facility.read": {"pfso"},  # ashore: the calls at the PFSO's own facility
    "shore_log.read": {"cso", "pfso"},  # ashore: a call's log and report (pfso: own facility)
    "fleet.photos": {"cso"},  # ashore: the photos an SSO sent (issue 17 point 2)
}
# Roles a permission admits that a route still refuses for the record asked: a PFSO reads
# reports of their own facility's calls only; call 1 has none, so 403 here.
REFUSED_FOR_CALL_1 = {"reports.read": {"pfso"}}
ROUTES = [  # (method, URL rule, the permission its view names)
    ("GET", "/sso/particulars/", "particulars.read"),  # issue 19: the Security Report
    ("POST", "/sso/particulars/", "particulars.edit"),
    ("GET", "/sso/ship-to-ship/", "sts.read"),
    ("POST", "/sso/ship-to-ship/", "sts.record"),
    ("GET", "/sso/security-report/", "security_report.read"),
    ("GET", "/sso/security-report/report.pdf", "security_report.read"),
    ("GET", "/sso/security-report/report.html", "security_report.read"),
    ("GET", "/api/v1/security-report", "security_report.read"),
    ("GET", "/sso/inspections/", "inspections.issue"),
    ("POST", "/sso/inspections/", "inspections.issue"),
    ("POST", "/sso/inspections/<int:access_id>/revoke", "inspections.issue"),
    ("GET", "/watch/", "scan.record"),
    ("POST", "/watch/scan", "scan.record"),
    ("POST", "/watch/check-id/", "scan.record"),  # issue 18: Check ID from a photo
    ("GET", "/watch/onboard-count", "scan.record"),
    ("POST", "/watch/access-point", "scan.record"),
    ("GET", "/watch/photo/<int:person_id>", "scan.record"),
    ("GET", "/api/v1/offline-pack", "scan.record"),
    ("GET", "/sso/onboard", "onboard.read"),
    ("GET", "/sso/visitors/new", "badges.issue"),
    ("POST", "/sso/visitors/new", "badges.issue"),
    ("POST", "/sso/visitors/new/fill", "badges.issue"),  # issue 18: filled from a document
    ("POST", "/sso/crew/new/fill", "crew.edit"),
    ("GET", "/people/<int:person_id>/document-photo", "people.document_photo"),
    ("POST", "/people/<int:person_id>/document-photo/delete", "people.document_photo_delete"),
    ("POST", "/people/<int:person_id>/photo-ashore", "people.photo_ashore"),
    ("GET", "/sso/visitors/group", "badges.issue"),
    ("POST", "/sso/visitors/group", "badges.issue"),
    ("GET", "/sso/badges/", "badges.read"),
    ("GET", "/sso/badges/<int:badge_id>", "badges.read"),
    ("GET", "/sso/badges/<int:badge_id>/card.<any(pdf, png):fmt>", "badges.read"),
    ("GET", "/sso/badges/sheet.pdf", "badges.read"),
    ("GET", "/sso/badges/crew.pdf", "badges.read"),
    ("POST", "/sso/badges/<int:badge_id>/revoke", "badges.revoke"),
    ("POST", "/sso/badges/<int:badge_id>/reissue", "badges.revoke"),
    ("GET", "/sso/crew/", "crew.read"),
    ("GET", "/sso/crew/<int:person_id>/sign-off", "crew.edit"),
    ("GET", "/sso/crew/<int:person_id>/sign-on", "crew.edit"),
    ("POST", "/sso/crew/<int:person_id>/sign-off", "crew.edit"),
    ("POST", "/sso/crew/<int:person_id>/sign-on", "crew.edit"),
    ("GET", "/sso/crew/new", "crew.edit"),
    ("POST", "/sso/crew/new", "crew.edit"),
    ("POST", "/api/v1/scans", "scan.record"),
    ("POST", "/api/v1/scans/image", "scan.record"),
    ("POST", "/api/v1/documents/read", "documents.read"),
    ("GET", "/api/v1/onboard", "scan.record"),
    ("GET", "/api/v1/access-points", "access_points.read"),
    ("GET", "/api/v1/ping", "api.ping"),
    ("POST", "/api/v1/visitors", "badges.issue"),
    ("GET", "/api/v1/plan/passback", "plan.read"),
    ("PUT", "/api/v1/plan/passback", "plan.edit"),
    ("POST", "/api/v1/badges/<int:badge_id>/revoke", "badges.revoke"),
    ("GET", "/api/v1/badges/<int:badge_id>/card.<any(pdf, png):fmt>", "badges.read"),
    ("GET", "/sso/watch-list/", "watch_list.read"),
    ("POST", "/sso/watch-list/", "watch_list.edit"),
    ("POST", "/sso/watch-list/<int:entry_id>/remove", "watch_list.edit"),
    ("GET", "/watch/manual/", "scan.record"),
    ("GET", "/watch/manual/search", "scan.record"),
    ("GET", "/watch/manual/<int:person_id>", "scan.record"),
    ("POST", "/watch/manual/<int:person_id>", "scan.record"),
    ("GET", "/api/v1/people", "scan.record"),
    ("GET", "/sso/lists/crew", "lists.import"),
    ("GET", "/sso/lists/passengers", "lists.import"),
    ("POST", "/sso/lists/crew/preview", "lists.import"),
    ("POST", "/sso/lists/passengers/preview", "lists.import"),
    ("POST", "/sso/lists/crew/import", "lists.import"),
    ("POST", "/sso/lists/passengers/import", "lists.import"),
    ("GET", "/sso/lists/crew/jobs/<int:job_id>", "lists.import"),
    ("GET", "/sso/lists/passengers/jobs/<int:job_id>", "lists.import"),
    ("GET", "/sso/lists/crew/template.csv", "lists.import"),
    ("GET", "/sso/lists/passengers/template.csv", "lists.import"),
    ("GET", "/sso/lists/crew/export.csv", "lists.export"),
    ("GET", "/sso/lists/crew/export.xlsx", "lists.export"),
    ("POST", "/api/v1/imports/crew", "lists.import"),
    ("POST", "/api/v1/imports/passengers", "lists.import"),
    ("GET", "/api/v1/imports/crew/template.csv", "lists.import"),
    ("GET", "/api/v1/imports/passengers/template.csv", "lists.import"),
    ("GET", "/sso/refusals/", "refusals.read"),
    ("POST", "/sso/refusals/<int:refusal_id>/acknowledge", "refusals.acknowledge"),
    ("POST", "/sso/refusals/acknowledge", "refusals.acknowledge"),
    ("GET", "/sso/refusals/alerts", "refusals.read"),
    ("GET", "/sso/refusals/<int:refusal_id>/incident.pdf", "refusals.read"),
    ("GET", "/api/v1/refusals", "refusals.read"),
    ("POST", "/api/v1/refusals/<int:refusal_id>/acknowledge", "refusals.acknowledge"),
    ("POST", "/api/v1/refusals/acknowledge", "refusals.acknowledge"),
    ("GET", "/sso/security/", "level.set"),
    ("POST", "/sso/security/level", "level.set"),
    ("POST", "/sso/security/port-level", "level.set"),
    ("GET", "/sso/security/declarations", "declarations.record"),
    ("POST", "/sso/security/declarations", "declarations.record"),
    ("GET", "/level-band", "level.read"),
    ("GET", "/api/v1/security-level", "level.read"),
    ("PUT", "/api/v1/security-level", "level.set"),
    ("GET", "/api/v1/declarations", "declarations.read"),
    ("POST", "/api/v1/declarations", "declarations.record"),
    ("GET", "/sso/plan/", "plan.read"),
    ("POST", "/sso/plan/points", "plan.edit"),
    ("POST", "/sso/plan/points/new", "plan.edit"),
    ("POST", "/sso/plan/settings", "plan.edit"),
    ("POST", "/sso/plan/suspension", "plan.suspend"),
    ("POST", "/sso/plan/responders/<int:person_id>", "plan.edit"),
    ("POST", "/sso/plan/crew-at-level-3", "plan.edit"),
    ("POST", "/sso/plan/passback", "plan.edit"),
    ("GET", "/sso/voyages/", "voyages.read"),
    ("GET", "/sso/voyages/<int:voyage_id>", "voyages.read"),
    ("GET", "/sso/voyages/<int:voyage_id>.csv", "voyages.read"),
    ("PUT", "/api/v1/access-points/<code>", "plan.edit"),
    ("GET", "/sso/muster", "muster.read"),
    ("GET", "/sso/muster.pdf", "muster.read"),
    # A PFSO reads reports of their own facility's calls only: REFUSED_FOR_CALL_1.
    ("GET", "/reports/port-calls/<int:call_id>", "reports.read"),
    ("GET", "/reports/port-calls/<int:call_id>.pdf", "reports.read"),
    ("GET", "/reports/port-calls/<int:call_id>.csv.zip", "reports.read"),
    ("POST", "/reports/port-calls/<int:call_id>/sign-off", "reports.sign"),
    ("POST", "/reports/port-calls/<int:call_id>/stored/revise", "reports.revise"),
    ("POST", "/reports/port-calls/<int:call_id>/email", "reports.send"),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.html", "reports.read"),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.pdf", "reports.read"),
    ("GET", "/api/v1/jobs/<int:job_id>", "lists.import"),
    ("GET", "/api/v1/port-calls/<int:call_id>/report.csv.zip", "reports.read"),
    ("GET", "/reports/port-calls/<int:call_id>/stored/<any(pdf, csv, html):kind>", "reports.read"),
    ("GET", "/api/v1/port-calls/<int:call_id>/report-snapshot", "reports.read"),
    ("POST", "/api/v1/port-calls/<int:call_id>/report-revisions", "reports.revise"),
    (
        "GET",
        "/api/v1/port-calls/<int:call_id>/report-snapshot/<any(pdf, csv, html):kind>",
        "reports.read",
    ),
    ("GET", "/sso/port-calls/", "port_calls.read"),
    ("POST", "/sso/port-calls/", "port_calls.edit"),
    ("POST", "/sso/port-calls/<int:call_id>/close", "port_calls.edit"),
    ("POST", "/sso/port-calls/<int:call_id>/share-documents", "port_calls.edit"),
    ("GET", "/api/v1/port-calls", "port_calls.list"),
    ("POST", "/api/v1/port-calls", "port_calls.edit"),
    ("POST", "/api/v1/port-calls/<int:call_id>/close", "port_calls.edit"),
    ("POST", "/api/v1/port-calls/<int:call_id>/share-documents", "port_calls.edit"),
    ("GET", "/api/v1/movements", "log.read"),
    ("GET", "/pfso/", "log.read"),
    ("GET", "/pfso/log", "log.read"),
    ("GET", "/pfso/log.csv", "log.read"),
    ("GET", "/admin/users", "users.manage"),
    ("POST", "/admin/users", "users.manage"),
    ("GET", "/admin/users/<int:user_id>", "users.manage"),
    ("POST", "/admin/users/<int:user_id>/role", "users.manage"),
    ("POST", "/admin/users/<int:user_id>/facility", "users.manage"),
    ("POST", "/admin/users/<int:user_id>/enabled", "users.manage"),
    ("POST", "/admin/users/<int:user_id>/password", "users.manage"),
    ("GET", "/admin/tokens", "tokens.manage"),
    ("POST", "/admin/tokens", "tokens.manage"),
    ("POST", "/admin/tokens/<int:token_id>/revoke", "tokens.manage"),
    ("POST", "/admin/tokens/<int:token_id>/device", "tokens.manage"),
    ("GET", "/admin/audit", "audit.verify"),
    ("POST", "/admin/audit/verify", "audit.verify"),
    ("GET", "/account/password", "account.password"),
    ("POST", "/account/password", "account.password"),
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
# The port state control officer's pages: no login, no role, the inspection scope only
# (tests/integration/test_inspections.py walks every route above with that scope).
INSPECTOR = {
    ("GET", "/inspect"),
    ("POST", "/inspect"),
    ("GET", "/inspect/<string(length=32):token>"),
    ("POST", "/inspect/<string(length=32):token>"),
    ("GET", "/inspect/view/<any(certificate, calls, levels, declarations, refusals, log):page>"),
    ("POST", "/inspect/end"),
}


def allowed(permission: str) -> set[str]:
    """Return the roles a route naming the permission lets through, on the records used here."""
    return set(PERMISSIONS[permission]) - REFUSED_FOR_CALL_1.get(permission, set())


def url_for_rule(rule: str) -> str:
    """Fill a rule's variables with values that reach the view (ids that need not exist)."""
    rule = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule)
    return re.sub(r"<int:[^>]+>", "1", rule)


def _still_logged_in(client, role: str) -> bool:
    """Return whether the client's session still holds its login (and a scanner's point)."""
    with client.session_transaction() as session:
        point = role not in SCANNERS or "access_point" in session
        return SESSION_ID in session and point


def _status(client, method: str, rule: str) -> int:
    return client.open(
        url_for_rule(rule), method=method, data={} if method == "POST" else None
    ).status_code


def test_the_table_says_what_each_permission_means():
    assert {name: set(roles) for name, roles in PERMISSIONS.items()} == MEANS


@pytest.mark.parametrize("role", ["watch", "sso", "pfso", "master", "admin"])
def test_every_route_enforces_its_roles(auth, client, make_user, role):
    """Each role against every route, on one database (one app per route and role cost a
    minute and a half of the test run): logged in again whenever a route left the session
    without its login or its access point (a log-out, a new tablet). Record 1 of every kind
    is someone else's: the admin's routes on user 1 change another account, not the one
    testing."""
    make_user("watch", "someone-else")
    wrong = []
    for method, rule, permission in ROUTES:
        if not _still_logged_in(client, role):
            auth.login(role)
        status = _status(client, method, rule)
        may = role in allowed(permission)
        if may == (status in (401, 403)) or (not may and status != 403):
            wrong.append(f"{method} {rule}: {status} ({'allowed' if may else 'refused'})")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_every_route_turns_away_anonymous_callers(client):
    wrong = [
        f"{method} {rule}: {status}"
        for method, rule, _ in ROUTES
        if (status := _status(client, method, rule)) not in (302, 401)
    ]
    assert not wrong, "; ".join(wrong)


def test_every_registered_route_is_in_the_role_table(app):
    """Every route but the public ones names its permission, the one listed here."""
    registered = {
        (method, r.rule): _named(app.view_functions[r.endpoint])
        for r in app.url_map.iter_rules()
        for method in r.methods - {"HEAD", "OPTIONS"}
        if (method, r.rule) not in PUBLIC
    }
    officer = dict.fromkeys(INSPECTOR, "inspection")
    assert registered == {(m, r): permission for m, r, permission in ROUTES} | officer


def _named(view) -> str | None:
    """Return the permission a view names, or "inspection" for the officer's scope."""
    return "inspection" if getattr(view, "inspection", False) else getattr(view, "permission", None)


def test_the_pfso_may_write_nowhere():
    """The shore-side PFSO is read-only: no state-changing route in the table admits the role."""
    writes = [(m, r) for m, r, p in ROUTES if m != "GET" and "pfso" in allowed(p)]
    assert writes == [("POST", "/account/password")]  # their own password, not a record
    assert not any(m != "GET" for m, _ in PUBLIC - {("POST", "/login"), ("POST", "/logout")})


def test_an_unknown_permission_fails_when_the_view_is_declared():
    with pytest.raises(KeyError):
        permission_required("plan.edti")


def test_can_answers_for_the_users_role_and_no_one_logged_out():
    class User:
        is_authenticated, role = True, "master"

    assert can(User(), "plan.suspend")
    assert not can(User(), "plan.edit")
    User.is_authenticated = False
    assert not can(User(), "plan.suspend")
    assert not can(None, "level.read")
