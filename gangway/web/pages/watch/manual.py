"""Identity checks by hand on the watch's tablet (ISPS B/9.14.1), and the people search API.

Authorities and pilots often come without a QR code: the watch finds the person, compares the
document and its photo with the record, types the number, and the core decides as for a scan.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_htmx import make_response
from flask_login import current_user

from gangway.db.models import Person
from gangway.domain.scan.identity import (
    DOCUMENT_TYPES,
    document_hint,
    document_type_code,
    normalise_document_number,
)
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.people.search import search_people
from gangway.services.scan.input import ScanInput
from gangway.services.scan.manual_checks import LookAgain, check_by_hand
from gangway.web.api.base import api_blueprint
from gangway.web.common import follow_up_fields, scan_context
from gangway.web.pages.watch.scan_results import (
    checked,
    chosen_point,
    refused_input,
    scan_page_context,
    show_on_scan_page,
    verdict_response,
)
from gangway.web.presenters import person_summary
from gangway.web.roles import can, permission_required

bp = Blueprint("manual", __name__, url_prefix="/watch/manual")
api_bp = api_blueprint("api_people_search", __name__)  # /api/v1, CSRF-exempt for GET
# Stored in Movement.document_inspected as "<type> <number>" (e.g. "passport P1234567").


@bp.get("/")
@permission_required("scan.record")
def index():
    """Show the search box; without JS the search form submits here and lists the hits."""
    point = chosen_point()
    if point is None:
        return redirect(url_for("watch.index"))
    q = request.args.get("q", "").strip()
    return render_template("manual/index.html", point=point, **_results_context(q))


@bp.get("/search")
@permission_required("scan.record")
def search():
    """Return the typeahead's results fragment (a plain request gets the page)."""
    q = request.args.get("q", "").strip()
    if not htmx or htmx.history_restore_request:
        return redirect(url_for("manual.index", q=q or None))
    return render_template("manual/_results.html", **_results_context(q))


@bp.get("/<int:person_id>")
@permission_required("scan.record")
def check(person_id: int):
    """Show the person's photo and document on record next to the check form."""
    point = chosen_point()
    if point is None:
        return redirect(url_for("watch.index"))
    return _check_page(point, db.get_or_404(Person, person_id))


@bp.post("/<int:person_id>")
@permission_required("scan.record")
def record(person_id: int):
    """Decide and record the check and show the verdict like a scan; a near miss, look again."""
    point = chosen_point()
    if point is None and not htmx:
        return redirect(url_for("watch.index"))
    person = db.get_or_404(Person, person_id)
    looked_again = request.form.get("looked_again") == "1"
    try:
        data = _manual_input(person.id)
        outcome = check_by_hand(db.session, data, looked_again=looked_again, **scan_context())
    except BadInput as exc:
        result = refused_input(exc)
        if not htmx:  # nothing was written: keep the form and what was typed
            return _check_page(point, person, result=result, form=request.form), 400
    else:
        if isinstance(outcome, LookAgain):
            return _look_again(point, person)
        action = url_for("manual.record", person_id=person.id)
        result = checked(outcome, data, action)
    if not htmx:
        return show_on_scan_page(result)
    return _verdict(result, person, None if "error" in result else data)


@api_bp.get("/people")
@permission_required("scan.record")
def people():
    """Find people by name or document number, with the document on record.

    The watch reads the number off the document shown, so its role gets only the last
    characters (document_hint); the SSO and the master, who keep the records, the number.
    """
    found = search_people(db.session, request.args.get("q", ""))
    full = can(current_user, "people.documents")
    return jsonify(
        people=[
            {
                **person_summary(p),
                "document_type": p.document_type,
                "document_number": p.document_number if full else None,
                "document_hint": document_hint(p.document_number),
            }
            for p in found
        ]
    )


def _manual_input(person_id: int) -> ScanInput:
    """Read the check form; refuse it before anything is decided if the document was not seen."""
    form = request.form
    if not form.get("inspected"):
        raise BadInput(
            "inspected", "Inspect the identity document and compare its photo, then tick the box."
        )
    document_type = form.get("document_type", "").strip()
    if document_type not in DOCUMENT_TYPES:
        raise BadInput("document_type", "Choose the type of document shown.")
    return ScanInput(
        code="",
        access_point=session.get("access_point", ""),
        direction=form.get("direction", "board"),
        purpose=form.get("purpose_other", "").strip() or form.get("purpose", ""),
        method="manual",
        **follow_up_fields(form),
        person_id=person_id,
        document_type=document_type,
        document_number=form.get("document_number", "").strip() or None,
    )


def _check_page(point, person: Person, *, result=None, form=None, look_again=False):
    return render_template(
        "manual/check.html",
        point=point,
        result=result,
        form=form or {},
        look_again=look_again,
        **scan_page_context(),
        **_record(person),
    )


def _verdict(result: dict, person: Person, typed_in: ScanInput | None):
    """Return the verdict fragment; once a number was typed and checked, the record's beside it."""
    if typed_in and normalise_document_number(typed_in.document_number):
        typed = {"type": typed_in.document_type, "number": typed_in.document_number}
        document = render_template(
            "manual/_document.html", oob=True, checked=typed, **_record(person)
        )
        return verdict_response(result, document)
    return verdict_response(result)


def _look_again(point, person: Person):
    """Ask the watch to read the document again: the form comes back with the number typed."""
    if not htmx:
        return _check_page(point, person, form=request.form, look_again=True)
    body = render_template(
        "manual/_form.html",
        form=request.form,
        look_again=True,
        purposes=current_app.config["PURPOSES"],
        **_record(person),
    )
    return make_response(body, retarget="#manual-form", reswap="outerHTML")


def _record(person: Person) -> dict:
    """Return the person and how to name their document type (stored as a code or words)."""
    return {
        "person": person,
        "document_types": DOCUMENT_TYPES,
        "record_type": document_type_code(person.document_type),
    }


def _results_context(q: str) -> dict:
    return {
        "q": q,
        "people": search_people(db.session, q),
        "document_types": DOCUMENT_TYPES,
        "document_type_code": document_type_code,
        "document_hint": document_hint,
    }
