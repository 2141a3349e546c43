"""JSON API for the pre-arrival Security Report (MSC.1/Circ.1305): the same service as the page."""

from __future__ import annotations

from flask import jsonify, request

from gangway.web.api.base import api_blueprint
from gangway.web.pages.records.security_report import report_from_args
from gangway.web.roles import permission_required

bp = api_blueprint("api_security_report", __name__)


@bp.get("/security-report")
@permission_required("security_report.read")
def security_report():
    """Return the Security Report for unlocode, facility, eta and purpose (3.5: other)."""
    return jsonify(report_from_args(request.args))
