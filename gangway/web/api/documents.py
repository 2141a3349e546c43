"""JSON API: read an identity document from a photo (issue 18); nothing is recorded."""

from __future__ import annotations

from flask import jsonify, request

from gangway.db.types import utcnow
from gangway.services import BadInput
from gangway.services.documents.reading import read_document
from gangway.web.api.base import api_blueprint
from gangway.web.common import photo_pool_timeout, upload_limits
from gangway.web.roles import permission_required

bp = api_blueprint("api_documents", __name__)


@bp.post("/documents/read")
@permission_required("documents.read")
def read():
    """Read the zone (or AAMVA barcode) in a photo of a document and return its fields."""
    upload = request.files.get("image")
    if upload is None:
        raise BadInput("image", "Attach the photo of the document as the multipart field 'image'.")
    with upload.stream:  # a large upload is spooled to a temporary file: close it now
        image = upload.read()
    document = read_document(
        image,
        limits=upload_limits(),
        today=utcnow().date(),
        pool_timeout=photo_pool_timeout(),
    )
    return jsonify(document.as_json())
