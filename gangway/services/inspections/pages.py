"""The pages an inspection access opens, each view chained in the transaction that reads it.

Every page is read through the services the ship's officers use (the particulars, the Security
Report's last ten calls, the level history, the Declarations, the refusals board, the PFSO's
access log) and handed over as plain values, documents masked (ISPS B/4.41). The
"inspection.viewed" event (the page, the access's id) is appended in the same transaction as
the reads: no page is shown without its record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gangway.domain.reporting.access_log import LogFilters, mask_document
from gangway.domain.reporting.security_report import certificate_alert
from gangway.domain.ship.declarations import ORDERED_BY, SHIP_PARTY_ROLES
from gangway.domain.ship.follow_ups import direction_word, reason_labels
from gangway.render.access_log_rows import present_row
from gangway.services.access_log.access_log import access_log
from gangway.services.after_commit import unit_of_work
from gangway.services.audit.audit import append
from gangway.services.inspections.access import live_access
from gangway.services.reports.security_report import last_ten_calls
from gangway.services.ship.declarations import declarations
from gangway.services.ship.particulars import current_particulars, particulars_facts
from gangway.services.ship.port_calls import list_port_calls
from gangway.services.ship.refusals import recent_refusals
from gangway.services.ship.security_level import level_history, level_state
from gangway.services.ship.ship import current_port_call

LIMIT = 50  # rows of a list page: the newest (the officer asks the SSO for older ones)


def inspection_page(
    session: Session, access_id: int, key: str, page: str, *, now: datetime, log_page: int = 1
) -> dict:
    """Return one page's values for an open access and chain the view ("inspection.viewed").

    :raises AccessEnded: the access has ended (nothing is read or written then).
    :raises KeyError: no such page.
    """
    load = LOADERS[page]
    with unit_of_work(session):
        access = live_access(session, access_id, key, now=now)
        values = load(session, now, log_page)
        event = {"access_id": access.id, "page": page}
        if page == "log":
            event["log_page"] = log_page
        append(session, "inspection.viewed", event)
        values["expires_at"] = access.expires_at
    return values


def _certificate(session: Session, now: datetime, _page: int) -> dict:
    particulars = particulars_facts(current_particulars(session))
    state = level_state(session, now)
    return {
        "particulars": particulars,
        "alert": certificate_alert(particulars.certificate_expires_on, now.date()),
        "level": state.level,
        "port_level": state.port_level,
    }


def _calls(session: Session, now: datetime, _page: int) -> dict:
    return {"calls": last_ten_calls(session, now=now)}


def _levels(session: Session, now: datetime, _page: int) -> dict:
    rows = [
        {
            "level": r.change.level,
            "reason": r.change.reason,
            "ordered_by": ORDERED_BY.get(r.change.ordered_by, r.change.ordered_by),
            "notified_at": r.change.notified_at,
            "complied_at": r.change.complied_at,
            "recorded_at": r.change.recorded_at,
            "recorded_by": r.recorded_by,
            "port": r.port_name,
        }
        for r in level_history(session, LIMIT)
    ]
    return {"levels": rows}


def _declarations(session: Session, now: datetime, _page: int) -> dict:
    names = ("level", "port_facility", "ship_party_name", "ship_party_role", "port_party_name")
    names += ("reason", "measures", "valid_from", "valid_until", "signed_at")
    rows = [{n: getattr(d, n) for n in names} for d in declarations(session, LIMIT)]
    for row in rows:
        role = row["ship_party_role"]
        row["ship_party_role"] = SHIP_PARTY_ROLES.get(role, role)
    return {"declarations": rows}


def _refusals(session: Session, now: datetime, _page: int) -> dict:
    return {"refusals": [_refusal(e) for e in recent_refusals(session, limit=LIMIT)]}


def _refusal(entry) -> dict:
    r, call = entry.refusal, entry.port_call
    follow_ups = [
        {
            "at": f.acknowledged_at,
            "by": entry.acknowledged_by[f.acknowledged_by_id].display_name,
            "response": f.response,
            "description": f.description,
            "reported_to_cso_at": f.reported_to_cso_at,
            "reported_to_pfso_at": f.reported_to_pfso_at,
            "reported_to_authorities_at": f.reported_to_authorities_at,
            "authorities": f.authorities,
        }
        for f in entry.follow_ups
    ]
    return {
        "id": r.id,
        "occurred_at": r.occurred_at,
        "zone": call.timezone if call else None,
        "port": call.port_name if call else None,
        "direction": direction_word(r.direction),
        # What was scanned is never shown: it may be a document's machine-readable zone.
        "name": r.recorded_name or "Not identified",
        "kind": r.person_kind,
        "document": mask_document(r.person_document_number),
        "reasons": reason_labels(r.reason_codes or r.reason_code),
        "access_point": r.access_point.name,
        "follow_ups": follow_ups,
    }


def _log(session: Session, now: datetime, page: int) -> dict:
    # The open call; at sea, the last one (its log is what the officer can still ask about).
    call = current_port_call(session) or next(iter(list_port_calls(session, 1)), None)
    found = access_log(session, [call.id] if call else [], LogFilters(page=page))
    calls = {call.id: call} if call else {}
    rows = [present_row(r, calls, None, mask=True) for r in found.rows]
    shown = {"port": call.port_name, "arrived_at": call.arrived_at, "in_port": not call.departed_at}
    return {"call": shown if call else None, "rows": rows, "total": found.total,
            "log_page": found.page, "log_pages": found.pages}  # fmt: skip


LOADERS = {
    "certificate": _certificate,
    "calls": _calls,
    "levels": _levels,
    "declarations": _declarations,
    "refusals": _refusals,
    "log": _log,
}
