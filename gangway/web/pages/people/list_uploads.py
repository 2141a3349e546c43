"""Reading an uploaded crew or passenger list (CSV or .xlsx), and sending a list as a download."""

from __future__ import annotations

from flask import Response, request

from gangway.services import BadInput
from gangway.services.lists.workbooks import MACRO_SUFFIXES, XLSX_TYPE

MAX_LIST_BYTES = 2 * 1024 * 1024  # 5,000 rows of FAL Form 6 take about 1 MB
CSV_TYPES = ("text/csv", "application/csv", "text/plain")
LIST_TYPES = (*CSV_TYPES, XLSX_TYPE)


MACRO_NAME = (
    "A workbook with macros (.xlsm) or an old or binary one (.xls, .xlsb) is never taken:"
    " save it as an Excel workbook (.xlsx) or as 'CSV UTF-8'."
)


class ListTooLarge(BadInput):
    """The upload is over MAX_LIST_BYTES."""


def uploaded_csv(*, allow_body: bool = False) -> bytes:
    """Return the list from the multipart field 'file' (or, for the API, a CSV or .xlsx body).

    :raises BadInput: nothing sent, a macro workbook's name, or more than MAX_LIST_BYTES.
    """
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        if upload.filename.lower().endswith(MACRO_SUFFIXES):
            raise BadInput("file", MACRO_NAME)
        data = upload.read(MAX_LIST_BYTES + 1)
    elif allow_body and request.mimetype in LIST_TYPES:
        data = request.get_data()
    else:
        how = "as the multipart field 'file' or a CSV or .xlsx body" if allow_body else "to check"
        raise BadInput("file", f"Choose a CSV or Excel (.xlsx) file {how}.")
    if len(data) > MAX_LIST_BYTES:
        mb = MAX_LIST_BYTES // (1024 * 1024)
        raise ListTooLarge("file", f"The file is larger than {mb} MB: split the list.")
    return data


def csv_download(text: str, filename: str) -> Response:
    """Return CSV text as a file download."""
    return _download(text, "text/csv", filename)


def workbook_download(data: bytes, filename: str) -> Response:
    """Return an .xlsx workbook as a file download."""
    return _download(data, XLSX_TYPE, filename)


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
