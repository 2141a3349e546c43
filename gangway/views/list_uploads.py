"""Reading an uploaded crew or passenger list, and sending a list as a CSV download."""

from __future__ import annotations

from flask import Response, request

from ..services import BadInput

MAX_LIST_BYTES = 2 * 1024 * 1024  # 5,000 rows of FAL Form 6 take about 1 MB
CSV_TYPES = ("text/csv", "application/csv", "text/plain")


class ListTooLarge(BadInput):
    """The upload is over MAX_LIST_BYTES."""


def uploaded_csv(*, allow_body: bool = False) -> bytes:
    """Return the list from the multipart field 'file' (or, for the API, a CSV body).

    :raises BadInput: nothing sent, or more than MAX_LIST_BYTES.
    """
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(MAX_LIST_BYTES + 1)
    elif allow_body and request.mimetype in CSV_TYPES:
        data = request.get_data()
    else:
        how = "as the multipart field 'file' or a text/csv body" if allow_body else "to check"
        raise BadInput("file", f"Choose a CSV file {how}.")
    if len(data) > MAX_LIST_BYTES:
        mb = MAX_LIST_BYTES // (1024 * 1024)
        raise ListTooLarge("file", f"The file is larger than {mb} MB: split the list.")
    return data


def csv_download(text: str, filename: str) -> Response:
    """Return CSV text as a file download."""
    disposition = f'attachment; filename="{filename}"'
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": disposition})
