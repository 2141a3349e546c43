"""JSON API: the end-of-port-call report in its three forms and the copy stored at close."""

from __future__ import annotations

from flask import jsonify

from gangway.web.api.base import api_blueprint
from gangway.web.pages.records.reports import (
    STORED,
    file_response,
    html_response,
    readable_call,
    revise_stored_report,
    snapshot_info,
)
from gangway.web.pages.records.reports import stored_response as stored_file_response
from gangway.web.roles import permission_required

bp = api_blueprint("api_reports", __name__)


@bp.get("/port-calls/<int:call_id>/report.html")
@permission_required("reports.read")
def report_html(call_id: int):
    """Return the report as an HTML page."""
    return html_response(call_id)


@bp.get("/port-calls/<int:call_id>/report.pdf")
@permission_required("reports.read")
def report_pdf(call_id: int):
    """Return the report as a PDF."""
    return file_response(call_id, "pdf")


@bp.get("/port-calls/<int:call_id>/report.csv.zip")
@permission_required("reports.read")
def report_csv_zip(call_id: int):
    """Return the call's records as CSV files in a zip."""
    return file_response(call_id, "csv")


@bp.get("/port-calls/<int:call_id>/report-snapshot")
@permission_required("reports.read")
def report_snapshot(call_id: int):
    """Return the state of the report stored at close, its files and their SHA-256."""
    info = snapshot_info(readable_call(call_id), endpoint="api_reports.report_snapshot_file")
    record = info["record"]
    return jsonify(
        port_call_id=call_id,
        state=info["state"],
        requested_at=_iso(record.requested_at) if record else None,
        generated_at=_iso(record.generated_at) if record else None,
        content_hash=record.content_hash if record else None,
        error=record.error if record and info["show_error"] else None,
        mailed_to=record.mailed_to if record else None,
        files=info["files"],
        revised=info["revised"],
        revision=info["revision"],
    )


@bp.post("/port-calls/<int:call_id>/report-revisions")
@permission_required("reports.revise")
def revise_report_snapshot(call_id: int):
    """Store a revised copy of a closed call's report (records reached it after the close)."""
    outcome, snapshot_id = revise_stored_report(call_id)
    if outcome == "open":
        message = "The report is stored when the port call is closed."
        return jsonify(error="open", message=message), 409
    return jsonify(port_call_id=call_id, outcome=outcome, snapshot_id=snapshot_id), 202


@bp.get(f"/port-calls/<int:call_id>/report-snapshot/{STORED}")
@permission_required("reports.read")
def report_snapshot_file(call_id: int, kind: str):
    """Return a file of the report stored when the call was closed."""
    return stored_file_response(call_id, kind)


def _iso(at) -> str | None:
    return at.isoformat() if at else None
