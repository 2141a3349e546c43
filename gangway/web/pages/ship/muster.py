"""The muster list for the SSO and master: on screen, printable in one click, and as a PDF."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.render.muster_pdf import render_muster_pdf
from gangway.services.reports.muster import muster_list
from gangway.web.roles import permission_required

bp = Blueprint("muster", __name__, url_prefix="/sso")


@bp.get("/muster")
@permission_required("muster.read")
def index():
    """Show everyone on board by kind, with a Print button and the PDF link."""
    return render_template("muster/index.html", muster=_muster())


@bp.get("/muster.pdf")
@permission_required("muster.read")
def pdf():
    """Return the muster list as an A4 PDF (never cached: it is a snapshot of now)."""
    muster = _muster()
    response = current_app.response_class(render_muster_pdf(muster), mimetype="application/pdf")
    name = f"muster-{muster.taken_at:%Y%m%d-%H%M}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _muster():
    return muster_list(db.session, now=utcnow(), default_ship_name=current_app.config["SHIP_NAME"])
