"""The voyages at sea between port calls and the records filed under each (ISPS A/10.1)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..auth import roles_required
from ..extensions import db
from ..models import Voyage
from ..services.voyages import voyage_calls, voyage_log, voyages_overview

bp = Blueprint("voyages", __name__, url_prefix="/sso/voyages")
READERS = ("sso", "master")


@bp.get("/")
@roles_required(*READERS)
def index():
    """List the voyages, newest first, with the records filed under each."""
    found = voyages_overview(db.session)
    return render_template(
        "voyages/index.html", voyages=found.voyages, counts=found.counts, calls=found.calls
    )


@bp.get("/<int:voyage_id>")
@roles_required(*READERS)
def log(voyage_id: int):
    """Show the movements and refusals made during one voyage."""
    voyage = db.get_or_404(Voyage, voyage_id)
    rows = voyage_log(db.session, voyage_id)
    return render_template(
        "voyages/log.html", voyage=voyage, rows=rows, calls=voyage_calls(db.session, [voyage])
    )
