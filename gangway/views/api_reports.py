"""JSON API: the end-of-port-call report in its three forms (same roles as the pages)."""

from __future__ import annotations

from ..auth import roles_required
from .api_base import api_blueprint
from .reports import READERS, file_response, html_response

bp = api_blueprint("api_reports", __name__)


@bp.get("/port-calls/<int:call_id>/report.html")
@roles_required(*READERS)
def report_html(call_id: int):
    """Return the report as an HTML page."""
    return html_response(call_id)


@bp.get("/port-calls/<int:call_id>/report.pdf")
@roles_required(*READERS)
def report_pdf(call_id: int):
    """Return the report as a PDF."""
    return file_response(call_id, "pdf")


@bp.get("/port-calls/<int:call_id>/report.csv.zip")
@roles_required(*READERS)
def report_csv_zip(call_id: int):
    """Return the call's records as CSV files in a zip."""
    return file_response(call_id, "csv")
