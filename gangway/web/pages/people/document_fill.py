"""Fill the SSO's registration form from a photo of the visitor's identity document (issue 18).

The photo is read like Check ID's (services/documents/reading.py); the fields read fill the
form the SSO was typing, which comes back for them to check against the document and complete
(the purpose): nothing is saved until they submit it. The photo comes back with the form, signed
(document_photo_field.py), and is kept on the person's record only if the SSO ticks the box.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, request

from gangway.db.types import utcnow
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.scan.document_check import document_type_of
from gangway.domain.scan.identity import DOCUMENT_TYPES
from gangway.services import BadInput
from gangway.services.documents.reading import read_document
from gangway.web.common import photo_pool_timeout, upload_limits
from gangway.web.pages.people.crew import _form as crew_form
from gangway.web.pages.people.document_photo_field import TOKEN_FIELD, carry_document_photo
from gangway.web.pages.people.photo_field import photo_from_form
from gangway.web.pages.people.visitors import _form as visitor_form
from gangway.web.roles import permission_required

bp = Blueprint("document_fill", __name__, url_prefix="/sso")
NO_PHOTO = "Choose or take a photo of the document's data page first."
FILLED = "Filled from the document: check each field against it, then add the purpose."
CREW_FILLED = "Filled from the document: check each field against it, then add the rank."
SEX = {"M": "Male", "F": "Female"}  # X (unspecified) fills nothing: the SSO asks


@bp.post("/visitors/new/fill")
@permission_required("badges.issue")
def fill():
    """Return the visitor form filled from the document photo; nothing is saved."""
    photo, _ = photo_from_form()  # the badge photo chosen so far stays for the submit
    values = request.form.to_dict()
    try:
        values |= _read(form_values)
    except BadInput as exc:
        return visitor_form("visitors/new.html", photo=photo, form=values, fill_error=exc.message)
    return visitor_form("visitors/new.html", photo=photo, form=values, filled=FILLED)


@bp.post("/crew/new/fill")
@permission_required("crew.edit")
def fill_crew():
    """Return the crew sign-on form filled from the document photo; nothing is saved."""
    values = request.form.to_dict()
    try:
        values |= _read(crew_values)
    except BadInput as exc:
        return crew_form(form=values, fill_error=exc.message)
    return crew_form(form=values, filled=CREW_FILLED)


def _read(fields: Callable[[IdentityDocument], dict[str, str]]) -> dict[str, str]:
    """Return the form's fields from the uploaded photo's document (only if it read whole),
    with the photo signed for the form, in case the SSO keeps it."""
    upload = request.files.get("document_photo")
    if upload is None or not upload.filename:
        raise BadInput("document_photo", NO_PHOTO)
    data = upload.read()
    document = read_document(
        data, limits=upload_limits(), today=utcnow().date(), pool_timeout=photo_pool_timeout()
    )
    if not document.valid:  # a misread fills nothing: the SSO would have to find the slip
        raise BadInput("document_photo", document.problem.message)
    token = carry_document_photo(data)
    return fields(document) | {TOKEN_FIELD: token or ""}  # never an earlier document's photo


def form_values(document: IdentityDocument) -> dict[str, str]:
    """Return the registration form's fields as the document gives them (names as printed)."""
    values = {
        "family_name": document.family_name,
        "given_names": document.given_names,
        "nationality": document.nationality,
        "document_type": document_type_of(document),
        "document_number": document.document_number,
        "document_issuing_state": document.issuing_state,
        "date_of_birth": document.birth_date.isoformat() if document.birth_date else "",
        "document_expires_on": document.expiry_date.isoformat() if document.expiry_date else "",
    }
    return {name: value for name, value in values.items() if value}


def crew_values(document: IdentityDocument) -> dict[str, str]:
    """Return the crew sign-on form's fields (a crew list line's: type in words, gender)."""
    values = form_values(document)
    values["document_type"] = DOCUMENT_TYPES[values["document_type"]]
    values["gender"] = SEX.get(document.sex, "")
    values["document_expiry"] = values.pop("document_expires_on", "")
    return {name: value for name, value in values.items() if value}
