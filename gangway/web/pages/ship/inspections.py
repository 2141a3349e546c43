"""The SSO's and master's inspection accesses for a port state control officer: issue, revoke.

The code and the link's QR are shown once, in the answer to the issuing POST (not stored, not
cached); the list shows who each access was for, until when, and whether it is still open.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, request, url_for
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.domain.inspections.access import format_code
from gangway.extensions import db, htmx
from gangway.render.inspection_qr import qr_data_uri
from gangway.services import BadInput
from gangway.services.inspections.access import access_overview, issue_access, revoke_access
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.presenters import utc_and_local
from gangway.web.roles import permission_required

bp = Blueprint("inspections", __name__, url_prefix="/sso/inspections")


@bp.get("/")
@permission_required("inspections.issue")
def index():
    """List the latest inspection accesses with the form to issue one."""
    return _page()


@bp.post("/")
@permission_required("inspections.issue")
def issue():
    """Issue an access and show its code and QR once (never stored, never cached)."""
    officer = request.form.get("officer", "")
    hours = current_app.config["INSPECTION_HOURS"]
    try:
        issued = issue_access(
            db.session, officer=officer, hours=hours, user=current_user, now=utcnow()
        )
    except BadInput as exc:
        return _page(error=exc, form={"officer": officer}), bad_input_status()
    url = url_for("inspect.link", token=issued.link, _external=True)
    secret = {"code": format_code(issued.code), "url": url, "qr": qr_data_uri(url)}
    response = make_response(_page(secret=secret, expires_at=issued.access.expires_at))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:access_id>/revoke")
@permission_required("inspections.issue")
def revoke(access_id: int):
    """Revoke an access: its code, its link and the officer's open pages stop at once."""
    try:
        revoke_access(db.session, access_id, user=current_user, now=utcnow())
    except BadInput as exc:
        return _page(error=exc), bad_input_status()
    message = "The inspection access is revoked: its code and link open nothing any more."
    if htmx:
        return _page(notice=message)
    flash(message, "info")
    return redirect(url_for("inspections.index"))


def _page(**context) -> str:
    overview = access_overview(db.session, now=utcnow())
    context.setdefault("form", {})
    return render_page_or_fragment(
        "inspections/index.html",
        "inspections/_accesses.html",
        **overview,
        hours=current_app.config["INSPECTION_HOURS"],
        when=lambda at: utc_and_local(at, overview["zone"]),
        **context,
    )
