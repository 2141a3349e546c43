"""Check ID without a photo (issue 18): a licence through the scanner, a live camera's frames."""

from __future__ import annotations

import io

from gangway.db.models import Movement, Refusal
from tests.integration.test_check_id import CHECK_ID, HX, count, rows
from tests.unit.test_aamva_scanned import LICENCE, pictured


def test_a_licence_scanned_by_the_scanner_is_checked_like_check_id_and_recorded_as_document(
    app, auth, client, make_person, runner
):
    make_person(
        kind="visitor", family="Miller", given="John", document_type="driving_licence",
        document_number="D1234562", purpose="Surveyor",
    )  # fmt: skip
    auth.login("watch")
    form = {"code": pictured(LICENCE), "method": "scan", "direction": "auto"}
    html = client.post("/watch/scan", data=form, headers=HX).get_data(as_text=True)
    assert 'data-verdict="allowed"' in html
    assert 'data-testid="id-document"' in html  # what the licence says, beside the record
    assert "Driving licence" in html
    (movement,) = rows(app, Movement)
    assert (movement.method, movement.document_inspected) == (
        "document",
        "driving_licence D1234562",
    )
    cut = {**form, "code": pictured(LICENCE[: LICENCE.index("DBB")])}  # a burst cut short
    html = client.post("/watch/scan", data=cut, headers=HX).get_data(as_text=True)
    assert "NOT RECORDED" in html
    assert "check the card by hand" in html
    assert (count(app, Movement), count(app, Refusal)) == (1, 0)
    api = {"code": pictured(LICENCE), "access_point": "MAIN-GW", "direction": "auto"}
    response = client.post("/api/v1/scans", json=api)  # e.g. an offline tablet's queue
    assert response.status_code == 400
    assert "checked with Check ID" in response.get_data(as_text=True)
    assert (count(app, Movement), count(app, Refusal)) == (1, 0)  # its text filed nowhere
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0, result.output


def test_a_live_camera_frame_that_does_not_read_answers_nothing_and_records_nothing(
    app, auth, client
):
    auth.login("watch")
    frame = {"live": "1", "direction": "auto", "image": (io.BytesIO(b"not a frame"), "f.jpg")}
    response = client.post(CHECK_ID, data=frame, headers=HX, content_type="multipart/form-data")
    assert (response.status_code, response.get_data()) == (204, b"")
    shown = {**frame, "live": "", "image": (io.BytesIO(b"not a frame"), "f.jpg")}
    html = client.post(CHECK_ID, data=shown, headers=HX).get_data(as_text=True)
    assert "NOT RECORDED" in html  # the same upload as a photo: the watch is told
    assert count(app, Movement) + count(app, Refusal) == 0
