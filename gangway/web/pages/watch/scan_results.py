"""One path for a check's verdict, shared by the scan page and the check by hand.

Both pages stand at the access point chosen on the scan page, answer a check with the same
verdict fragment (watch/_result.html), and, without JS, show it once on the scan page.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, session, url_for
from flask_htmx import make_response

from gangway.domain.scan.levels import DISEMBARKATION_SUSPENDED
from gangway.domain.scan.types import Method, Verdict
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.scan.presence import count_on_board, crew_aboard
from gangway.services.ship.ship import access_point_by_code
from gangway.web.presenters import scan_result


def chosen_point():
    """Return the access point this tablet stands at, or None (a stale choice is forgotten)."""
    code = session.get("access_point")
    if not code:
        return None
    try:
        return access_point_by_code(db.session, code)
    except BadInput:
        session.pop("access_point", None)
        return None


def reset_after() -> int:
    """Return how many seconds a verdict stays before the page is ready for the next person."""
    return int(current_app.config["VERDICT_RESET_SECONDS"])


def scan_page_context() -> dict:
    """Return what a page with a verdict box shows beside it: purposes and the count aboard."""
    return {
        "purposes": current_app.config["PURPOSES"],
        "counts": count_on_board(db.session),
        "reset_after": reset_after(),
    }


def checked(outcome, data, action: str) -> dict:
    """Return the verdict of a check, with what a waiting check's buttons post to `action`."""
    return _waiting_check(scan_result(outcome), outcome, data, action)


def refused_input(exc: BadInput) -> dict:
    """Return the verdict box's message for a check refused before anything was decided."""
    return {"error": exc.message, "field": exc.field}


def verdict_response(result: dict, after: str = ""):
    """Return the verdict fragment (and `after`, out-of-band HTML); a record refreshes counts."""
    body = render_template("watch/_result.html", result=result, reset_after=reset_after())
    recorded = bool(result.get("record_id"))
    return make_response(body + after, trigger="movement-recorded" if recorded else None)


def show_on_scan_page(result: dict):
    """Keep the verdict for the scan page to show once, and go there (a request without JS)."""
    session["last_result"] = result
    return redirect(url_for("watch.index"))


def _waiting_check(result: dict, outcome, data, action: str) -> dict:
    """Add what a waiting check's buttons post back, so the watch answers without rescanning.

    Waiting: a purpose to ask, an escort to assign, a search to make, or the master's override
    of a suspension.
    """
    decision = outcome.decision
    refusal = decision.refusal
    suspended = refusal is not None and refusal.code == DISEMBARKATION_SUSPENDED.code
    if decision.is_final and not suspended:  # a suspended departure waits for the master
        return result
    carry = {
        "code": outcome.text or "",
        "direction": decision.direction.value,
        "purpose": outcome.purpose or "",
        "method": data.method,
        "document_type": data.document_type or "",
        "document_number": data.document_number or "",
        "escort_person_id": decision.escort_id or "",
        "inspected": "1" if data.method == Method.MANUAL else "",
    }
    asking_purpose = decision.verdict is Verdict.PURPOSE_NEEDED
    if asking_purpose:
        del carry["purpose"]  # the watch's answer is the purpose
    choices = crew_aboard(db.session) if decision.verdict is Verdict.ESCORT_NEEDED else []
    return {
        **result,
        "action": action,
        "carry": carry,
        "escort_choices": [{"id": p.id, "name": p.display_name, "rank": p.rank} for p in choices],
        "purposes": current_app.config["PURPOSES"] if asking_purpose else [],
    }
