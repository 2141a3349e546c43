"""Ship-to-ship activities: the SSO records them, the master reads them (B/4.38)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.ship.sts import LIMITS, record_sts, sts_activities
from gangway.web.htmx_support import bad_input_status, fragment_or_redirect, render_page_or_fragment
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import permission_required

bp = Blueprint("sts", __name__, url_prefix="/sso/ship-to-ship")
FIELDS = (*LIMITS, "level", "started_at", "ended_at", "procedures_maintained")


@bp.get("/")
@permission_required("sts.read")
def index():
    """List the ship-to-ship activities, newest first, with the form for the SSO."""
    return _activities()


@bp.post("/")
@permission_required("sts.record")
def record():
    """Record a ship-to-ship activity."""
    form = {name: request.form.get(name, "") for name in FIELDS}
    try:
        record_sts(
            db.session,
            form,
            level=form["level"],
            started_at=parse_utc(form, "started_at"),
            ended_at=parse_utc(form, "ended_at"),
            procedures_maintained=form["procedures_maintained"] != "no",
            user=current_user,
            now=utcnow(),
        )
    except BadInput as exc:
        return _activities(error=exc, form=form), bad_input_status()
    return fragment_or_redirect(_activities, "Ship-to-ship activity recorded.", "sts.index")


def _activities(*, error: BadInput | None = None, form: dict | None = None, notice=None):
    return render_page_or_fragment(
        "sts/index.html",
        "sts/_activities.html",
        activities=sts_activities(db.session),
        error=error,
        form=form or {},
        notice=notice,
    )
