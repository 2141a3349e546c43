"""Who may do what: the one permission table, named permissions per role.

Pure data: the web layer checks a route's permission with it (gangway.web.roles), and the
services ask the same table when a rule depends on the role (the master's override, the SSO's
sign-off, a PFSO's own facility). To change who may do something, change its line here.
"""

from __future__ import annotations

ROLES = ("watch", "sso", "pfso", "master", "admin", "cso")
WATCH, SSO, MASTER, PFSO, ADMIN = "watch", "sso", "master", "pfso", "admin"
CSO = "cso"  # the company security officer, ashore (the shore server)
EVERYONE = frozenset(ROLES)
OFFICERS = frozenset({SSO, MASTER})  # the ship's security officer and the master

# permission: the roles that hold it. Nouns are the ship's records, verbs what is done to them.
PERMISSIONS: dict[str, frozenset[str]] = {
    # At the gangway. The master may scan to let one person leave while departures are suspended.
    "scan.record": OFFICERS | {WATCH},  # scan, manual check, photos, offline pack, who is aboard
    "scan.override": frozenset({MASTER}),  # let a refused person leave all the same
    "people.documents": OFFICERS,  # a document's full number (the watch sees its last characters)
    # Read an identity document's zone or barcode from a photo (issue 18): nothing is recorded.
    "documents.read": OFFICERS | {WATCH},
    # A document photo kept on a person's record (issue 18): beside the ID photo, never a PFSO.
    "people.document_photo": OFFICERS | {WATCH},
    "people.document_photo_delete": frozenset({SSO}),
    # Photos stay on board unless the SSO sends one ashore (issue 17): chained, then uploaded.
    "people.photo_ashore": frozenset({SSO}),
    "onboard.read": OFFICERS,  # the officers' list of who is on board
    "access_points.read": EVERYONE,
    "level.read": EVERYONE,  # the security level band and its API
    "account.password": EVERYONE,  # one's own password
    "api.ping": EVERYONE,
    # The ship's records, kept by the SSO, read by the master.
    "badges.read": OFFICERS,  # badges, their cards and card sheets
    "badges.issue": frozenset({SSO}),  # register visitors and groups
    "badges.revoke": frozenset({SSO}),  # revoke or reissue a badge
    "crew.read": OFFICERS,
    "crew.edit": frozenset({SSO}),  # sign crew on and off, add a member
    "watch_list.read": OFFICERS,
    "watch_list.edit": frozenset({SSO}),
    "plan.read": OFFICERS,
    "plan.edit": frozenset({SSO}),  # access points, settings, passback, responders
    "plan.suspend": OFFICERS,  # suspend or resume departures
    "muster.read": OFFICERS,
    "level.set": OFFICERS,  # the security level page: ship and port levels
    "declarations.read": OFFICERS | {PFSO},
    "declarations.record": OFFICERS,
    "refusals.read": OFFICERS,  # the refusals page, its alerts and incident reports
    "refusals.acknowledge": frozenset({SSO}),
    "voyages.read": OFFICERS,
    "port_calls.read": OFFICERS,  # the ship's port-call page
    "port_calls.list": OFFICERS | {PFSO},  # the port calls in the API
    "port_calls.edit": frozenset({SSO}),  # open, close, share documents with the facility
    # Not a right but a limit: these roles read only the port calls (their reports, logs and
    # declarations) at their own port facility (ISPS A/10.1: the ship's records are its own).
    "port_calls.facility_only": frozenset({PFSO}),
    # Reports: a PFSO reads those of calls at their own facility only (the service decides).
    "reports.read": OFFICERS | {PFSO},
    "reports.errors": OFFICERS,  # why a report failed: paths on the ship's computer stay aboard
    "reports.sign": frozenset({SSO}),
    "reports.revise": frozenset({SSO}),
    "reports.send": frozenset({SSO}),  # e-mail a report
    # The access log, for the port facility as for the ship.
    "log.read": OFFICERS | {PFSO, ADMIN},
    "log.menu": OFFICERS | {PFSO},  # its link in the menu (the admin's menu is the admin pages)
    # Crew and passenger lists (IMO FAL Forms 5 and 6) and their import jobs.
    "lists.import": frozenset({SSO, ADMIN}),
    "lists.export": frozenset({SSO, ADMIN}),
    "lists.menu": frozenset({SSO}),  # its link in the menu
    # The pre-arrival Security Report (issue 19): the particulars and certificate it needs,
    # ship-to-ship activities, and the ISSC-expiry band on every page.
    "particulars.read": OFFICERS,
    "particulars.edit": frozenset({SSO}),
    "sts.read": OFFICERS,
    "sts.record": frozenset({SSO}),
    "security_report.read": OFFICERS,  # the report's page, its API and its files
    "certificate.alert": OFFICERS,  # the band while the ISSC expires within 30 days or expired
    # A port state control officer's read-only access (issue 19): issue and revoke it. The
    # officer holds no role: gangway.web.pages.inspect lets the access open its pages only.
    "inspections.issue": OFFICERS,
    # Administration.
    "users.manage": frozenset({ADMIN}),
    "tokens.manage": frozenset({ADMIN}),
    "audit.verify": frozenset({ADMIN}),  # the audit chain page and its check
    # Not a right but a limit: a browser login of these roles ends after WATCH_IDLE_MINUTES
    # without use (a tablet left at the gangway); the officers' own computers are not.
    "session.idle_logout": frozenset({WATCH}),
    # Ashore (the shore server): the CSO's fleet view of every ship's status and chain.
    "fleet.read": frozenset({CSO}),
    # The fleet-wide search of people and refusals (issue 17 point 4): the company's own records.
    "fleet.search": frozenset({CSO, ADMIN}),
    # The fleet watch list ashore (issue 17 point 6): every ship takes it and refuses a match.
    "fleet_watch.read": frozenset({CSO}),
    "fleet_watch.edit": frozenset({CSO}),
    # Ashore (issue 17 point 5): the calls at the PFSO's own facility of every ship of the fleet.
    "facility.read": frozenset({PFSO}),
    # Ashore (issue 17 point 4): a call's access log and report, the CSO any ship's, the PFSO
    # those at their facility (port_calls.facility_only).
    "shore_log.read": frozenset({CSO, PFSO}),
    # The photos the SSO of a ship sent ashore, beside the person in the fleet search: CSO only.
    "fleet.photos": frozenset({CSO}),
}
ROLE_LABELS = {
    WATCH: "Gangway watch",
    SSO: "SSO (ship security officer)",
    MASTER: "Master",
    PFSO: "PFSO (port facility)",
    ADMIN: "Admin",
    CSO: "CSO (company security officer, ashore)",
}
NEW_USER_ROLE = WATCH  # what the admin's new-user form offers first


def roles_for(permission: str) -> frozenset[str]:
    """Return the roles holding a permission; an unknown name fails at once (KeyError)."""
    return PERMISSIONS[permission]


def holds(role: str, permission: str) -> bool:
    """Tell whether a role holds a permission."""
    return role in roles_for(permission)
