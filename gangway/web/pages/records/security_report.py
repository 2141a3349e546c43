"""The pre-arrival Security Report's page: the next port's details in, the form out (read only)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.reports.security_report import make_security_report
from gangway.web.htmx_support import bad_input_status, render_page_or_fragment
from gangway.web.pages.people.person_form import parse_utc
from gangway.web.roles import permission_required

bp = Blueprint("security_report", __name__, url_prefix="/sso/security-report")
PARAMS = ("unlocode", "facility", "eta", "purpose", "other")


def report_from_args(args) -> dict:
    """Make the report from the query's parameters; anything else is refused, so that nobody
    can pass a value that looks like one derived from the records.

    :raises BadInput: an unknown parameter, or what make_security_report refuses.
    """
    unknown = sorted(set(args) - set(PARAMS))
    if unknown:
        raise BadInput(
            unknown[0],
            f"'{unknown[0]}' cannot be given: every value but the port of arrival, the ETA, "
            "the purpose and 3.5 (other) comes from the records.",
        )
    values = {name: args.get(name) for name in PARAMS}
    values["eta"] = parse_utc(values, "eta")
    return make_security_report(db.session, **values, user=current_user, now=utcnow())


@bp.get("/")
@permission_required("security_report.read")
def index():
    """Show the form for the next port and, once it is filled in, the report."""
    form = {name: request.args.get(name, "") for name in PARAMS}
    if not request.args:
        return _page(form=form)
    try:
        report = report_from_args(request.args)
    except BadInput as exc:
        return _page(form=form, error=exc), bad_input_status()
    return _page(form=form, report=report)


def _page(*, form: dict, report: dict | None = None, error: BadInput | None = None):
    return render_page_or_fragment(
        "security_report/index.html",
        "security_report/_document.html",
        form=form,
        report=report,
        error=error,
    )
