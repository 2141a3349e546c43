"""Check ID on the watch's tablet: a photo of the document, its verdict in the one verdict box.

The photo is read off the scan path (services/documents/reading.py) and never kept. What was
read travels on to the watch's answers (compare the faces, a purpose, an escort, a search)
signed with the app's key and good for a few minutes, so no answer needs the photo again and
none can alter the document read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, current_app, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gangway.db.types import utcnow
from gangway.domain.codes.documents.document import IdentityDocument
from gangway.domain.scan.document_check import document_type_of
from gangway.domain.scan.identity import DOCUMENT_TYPES
from gangway.extensions import db, htmx
from gangway.services import BadInput
from gangway.services.documents.checks import CompareFaces, check_id
from gangway.services.documents.reading import read_document
from gangway.services.people.document_photos import document_photo_of
from gangway.services.scan.input import ScanInput
from gangway.web.common import follow_up_fields, photo_pool_timeout, scan_context, upload_limits
from gangway.web.pages.watch.scan_results import (
    checked,
    refused_input,
    show_on_scan_page,
    verdict_response,
)
from gangway.web.presenters import person_summary
from gangway.web.roles import permission_required

bp = Blueprint("check_id", __name__, url_prefix="/watch/check-id")
ANSWER_SECONDS = 600  # the watch answers within minutes; a stale answer re-takes the photo
FIELDS = ("format", "document_type", "issuing_state", "issuer", "document_number")
FIELDS += ("family_name", "given_names", "nationality", "sex", "optional_data")
NO_PHOTO = "Take a photo of the document's data page (or the back of the card)."
STALE = "That check is too old to answer: take the photo of the document again."


@bp.post("/")
@permission_required("scan.record")
def submit():
    """Read the document in the photo (or a live camera's frame), decide and show the verdict."""
    form = request.form
    data = ScanInput(
        code="",
        access_point=session.get("access_point", ""),
        direction=form.get("direction") or "auto",
        purpose=form.get("purpose_other", "").strip() or form.get("purpose", ""),
        method="document",
        **follow_up_fields(form),
    )
    return answer(_document, data, live=form.get("live") == "1")


def answer(read: Callable[[], IdentityDocument], data: ScanInput, *, live: bool = False):
    """Decide the check of the document `read` returns and answer with the verdict box.

    :param live: a live camera's frame: one that does not read answers 204, nothing recorded
        and nothing shown, and the camera sends its next frame.
    """
    same_face = {"1": True, "0": False}.get(request.form.get("same_face", ""))
    try:
        document = read()
        outcome = check_id(db.session, document, data, same_face=same_face, **scan_context())
    except BadInput as exc:
        if live and exc.field == "image":
            return current_app.response_class(status=204)
        result = refused_input(exc)
    else:
        result = _result(outcome, document, data, same_face)
    return verdict_response(result) if htmx else show_on_scan_page(result)


def _document() -> IdentityDocument:
    """Return the document answered about (signed), or the one read from the photo sent."""
    token = request.form.get("document")
    if token:
        try:
            return _unsign(_serializer().loads(token, max_age=ANSWER_SECONDS))
        except (BadSignature, KeyError, TypeError, ValueError):
            raise BadInput("document", STALE) from None
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        raise BadInput("image", NO_PHOTO)
    return read_document(
        upload.read(),
        limits=upload_limits(),
        today=utcnow().date(),
        pool_timeout=photo_pool_timeout(),
    )


def _result(outcome, document: IdentityDocument, data: ScanInput, same_face) -> dict:
    """Return the verdict box's content: the verdict (or the faces to compare) and the document."""
    action = url_for("check_id.submit")
    if isinstance(outcome, CompareFaces):
        result = {
            "verdict": "compare_faces",
            "direction": data.direction,
            "person": person_summary(outcome.person),
            "reasons": [],
            "action": action,
            "carry": {"direction": data.direction, "purpose": data.purpose or ""},
        }
    else:
        result = checked(outcome, data, action)
    person = result.get("person")
    if person and document_photo_of(db.session, person["id"]):  # kept by the SSO: beside the face
        person["document_photo_url"] = url_for("document_photos.show", person_id=person["id"])
    if "carry" in result:  # the watch answers: the document goes with the answer, signed
        result["carry"] |= {"method": "document", "document": _sign(document)}
        if same_face:  # the faces were compared already: a purpose or escort asked next
            result["carry"]["same_face"] = "1"
    return result | {"document": _shown(document)}


def _shown(document: IdentityDocument) -> dict:
    """Return what the document says, for the watch to hold against the record's photo."""
    return {
        "type": DOCUMENT_TYPES.get(document_type_of(document), "Document"),
        "number": document.document_number,
        "name": f"{document.family_name}, {document.given_names}".strip(", "),
        "nationality": document.nationality or document.issuing_state,
        "born": document.birth_date.isoformat() if document.birth_date else "",
        "expires": document.expiry_date.isoformat() if document.expiry_date else "",
        "cautions": [c.message for c in document.cautions],
    }


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="gangway-check-id")


def _sign(document: IdentityDocument) -> str:
    values = {name: getattr(document, name) for name in FIELDS}
    for name in ("birth_date", "expiry_date"):
        day = getattr(document, name)
        values[name] = day.isoformat() if day else None
    return _serializer().dumps(values)


def _unsign(values: dict) -> IdentityDocument:
    dates = {
        name: date.fromisoformat(values[name]) if values[name] else None
        for name in ("birth_date", "expiry_date")
    }
    return IdentityDocument(**{name: str(values[name]) for name in FIELDS}, **dates)
