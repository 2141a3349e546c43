"""The voyages at sea between port calls and the records filed under each (ISPS A/10.1)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template

from gangway.db.models import Voyage
from gangway.domain.lists.list_columns import neutralise
from gangway.extensions import db
from gangway.services.ship.voyages import voyage_calls, voyage_log, voyages_overview
from gangway.web.roles import permission_required

bp = Blueprint("voyages", __name__, url_prefix="/sso/voyages")


@bp.get("/")
@permission_required("voyages.read")
def index():
    """List the voyages, newest first, with the records filed under each."""
    found = voyages_overview(db.session)
    return render_template(
        "voyages/index.html", voyages=found.voyages, counts=found.counts, calls=found.calls
    )


@bp.get("/<int:voyage_id>")
@permission_required("voyages.read")
def log(voyage_id: int):
    """Show the movements and refusals made during one voyage."""
    voyage = db.get_or_404(Voyage, voyage_id)
    rows = voyage_log(db.session, voyage_id)
    return render_template(
        "voyages/log.html", voyage=voyage, rows=rows, calls=voyage_calls(db.session, [voyage])
    )


CSV_HEADER = (
    "record_id",
    "occurred_at_utc",
    "outcome",
    "direction",
    "kind",
    "name",
    "access_point",
    "reason",
)


@bp.get("/<int:voyage_id>.csv")
@permission_required("voyages.read")
def log_csv(voyage_id: int):
    """Download one voyage's records as CSV (cells a spreadsheet would run are neutralised)."""
    db.get_or_404(Voyage, voyage_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in voyage_log(db.session, voyage_id):
        cells = (row.record_id, row.occurred_at.isoformat(timespec="seconds"), row.outcome)
        cells += (row.direction, row.kind, row.name, row.access_point, row.reason)
        writer.writerow([neutralise(str(c or "")) for c in cells])
    name = f"voyage-{voyage_id}-log.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
