"""Check ID without a photo (issue 18): the live camera films a passport; a scanner reads a licence.

Chromium's fake camera films a passport's data page.
The watch taps "Read ID live": the frames go to the server until one reads, the verdict shows
with what the passport says, and the camera stops by itself. One read, both screens: the page
is looked at on the phone while it reads and on both once the verdict is in.
"""

from __future__ import annotations

import os
import time
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from gangway.db.models import Movement, Person
from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS, add_user, login
from tests.browser.test_camera_scan import fake_camera_args, still_y4m
from tests.browser.test_layout import layout_problems
from tests.integration.test_check_id import PASSPORT, photo_of
from tests.unit.test_aamva_scanned import LICENCE

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("GANGWAY_SHOTS")  # a folder to keep screenshots in, for a person to look
READ_TIMEOUT_MS = 30_000  # the first read loads the OCR model (~3 s), on a loaded machine


def test_the_watch_checks_a_passport_with_the_live_camera_on_both_screens(
    live_server, launch_browser, browser_type_launch_args, tmp_path
):
    with live_server.app.app_context():
        db.session.add(
            Person(
                kind="visitor", family_name="de Vries", given_names="Anna Maria",
                document_type="passport", document_number="XN4F7K2P1",
                document_issuing_state="NLD", purpose="Ship's agent",
            )
        )  # fmt: skip
        db.session.commit()
    page_photo = Image.open(BytesIO(photo_of(PASSPORT))).convert("RGB").resize((960, 720))
    video = tmp_path / "passport.y4m"
    video.write_bytes(still_y4m(page_photo, frames=2, fps=5))
    args = [*browser_type_launch_args.get("args", []), *fake_camera_args(video)]
    browser = launch_browser(args=args)
    add_user(live_server.app, "watch")
    try:
        page = browser.new_context(**SCREENS["phone"], permissions=["camera"]).new_page()
        page.on("console", lambda message: print(f"console.{message.type}: {message.text}"))
        login(page, live_server.url, "watch")
        toggle = page.locator("#id-camera-toggle")
        with page.expect_request(lambda request: "/watch/check-id/" in request.url):
            toggle.tap()  # the first frame goes as soon as the camera shows one
        started = time.perf_counter()
        expect(page.get_by_test_id("id-camera-panel")).to_be_visible()
        expect(page.get_by_role("button", name="Stop")).to_be_visible()
        expect(page.locator("#camera-preview")).to_be_visible()
        look_at(page, "id-live-reading", "phone")

        page.set_viewport_size(SCREENS["tablet"]["viewport"])  # the same page on the tablet
        result = page.locator("#watch-result")
        expect(result.get_by_test_id("verdict-word")).to_have_text(
            "ALLOWED ABOARD", timeout=READ_TIMEOUT_MS
        )
        print(f"first frame sent to verdict {time.perf_counter() - started:.2f} s")
        expect(result.get_by_test_id("document-name")).to_have_text("DE VRIES, ANNA MARIA")
        expect(toggle).to_have_attribute("data-id-camera-state", "off")  # read: it stops
        expect(page.locator("#camera-preview")).to_be_hidden()
        expect(page.get_by_test_id("id-camera-panel")).to_be_hidden()
        look_at(page, "id-live-verdict", "tablet")
        page.set_viewport_size(SCREENS["phone"]["viewport"])
        look_at(page, "id-live-verdict", "phone")
    finally:
        browser.close()
    with live_server.app.app_context():
        moves = db.session.execute(db.select(Movement.method, Movement.direction)).all()
        assert [tuple(m) for m in moves] == [("document", "board")]


def look_at(page, name: str, screen: str) -> None:
    """Check that the page fits the screen (and keep a screenshot for a person to look at)."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{screen}.png"), full_page=True)
    assert layout_problems(page) == []


def test_a_licence_scanned_by_a_hardware_scanner_is_checked_like_check_id(
    watch: Page, live_server, badge
):
    with live_server.app.app_context():
        db.session.add(
            Person(
                kind="visitor", family_name="Miller", given_names="John",
                document_type="driving_licence", document_number="D1234562", purpose="Surveyor",
            )
        )  # fmt: skip
        db.session.commit()
    crew = badge(kind="crew", family="HANSEN", given="Erik")
    result = watch.locator("#watch-result")
    scanner.scan(watch, LICENCE)  # its LF and CR typed as Enter, its RS as Ctrl+^
    expect(result.get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    expect(result.get_by_test_id("document-name")).to_have_text("MILLER, JOHN QUINCY")
    expect(watch.locator("#code")).to_have_value("")  # no "@" nor a line of it left behind
    scanner.scan(watch, crew)  # the next scan is a badge again
    expect(result.get_by_test_id("person-name")).to_have_text("HANSEN, Erik")
    with live_server.app.app_context():
        methods = db.session.scalars(db.select(Movement.method).order_by(Movement.id)).all()
        assert methods == ["document", "scan"]
