"""Check ID (issue 18): the watch photographs a passport and sees the verdict beside the record's
photo; the SSO fills the visitor form from a photo of the same passport. Both screens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gangway.db.models import Movement, Person
from gangway.extensions import db
from tests.browser.conftest import SCREENS
from tests.browser.test_layout import layout_problems
from tests.integration.test_check_id import PASSPORT, photo_of

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("GANGWAY_SHOTS")  # a folder to keep screenshots in, for a person to look


def shoot(page: Page, name: str, screen: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{screen}.png"), full_page=True)


def choose_file(page: Page, trigger, path: Path) -> None:
    """Tap what opens the camera or the file chooser, and give it the photo."""
    with page.expect_file_chooser() as chooser:
        trigger.tap()
    chooser.value.set_files(str(path))


@pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
def test_the_watch_checks_an_id_and_the_sso_fills_a_form_from_a_passport(
    page: Page, live_server, log_in, screen, tmp_path
):
    photo = tmp_path / "passport.jpg"
    photo.write_bytes(photo_of(PASSPORT))
    with live_server.app.app_context():
        db.session.add(
            Person(
                kind="visitor",
                family_name="de Vries",
                given_names="Anna Maria",
                document_type="passport",
                document_number="XN4F7K2P1",
                document_issuing_state="NLD",
                purpose="Ship's agent",
            )
        )
        db.session.commit()

    log_in(page, "watch")
    choose_file(page, page.get_by_test_id("check-id"), photo)
    verdict = page.locator("#watch-result")
    expect(verdict).to_have_attribute("data-verdict", "allowed", timeout=20_000)
    shoot(page, "check-id", screen)
    expect(verdict.get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    expect(verdict.get_by_test_id("document-name")).to_have_text("DE VRIES, ANNA MARIA")
    assert layout_problems(page) == []  # the document beside the verdict fits the screen
    with live_server.app.app_context():
        assert db.session.scalars(db.select(Movement.method)).all() == ["document"]

    page.context.clear_cookies()  # the SSO's own session on the same device
    log_in(page, "sso")
    page.goto(f"{live_server.url}/sso/visitors/new")
    page.get_by_label("Host or department").fill("Chief engineer")
    choose_file(page, page.get_by_label("Fill from a document photo"), photo)
    expect(page.get_by_test_id("filled")).to_be_visible(timeout=20_000)
    shoot(page, "fill-visitor", screen)
    expect(page.get_by_label("Family name")).to_have_value("DE VRIES")
    expect(page.get_by_label("Document number")).to_have_value("XN4F7K2P1")
    expect(page.get_by_label("Date of birth")).to_have_value("1981-03-14")
    expect(page.get_by_label("Host or department")).to_have_value("Chief engineer")
    assert layout_problems(page) == []
    with live_server.app.app_context():  # nothing saved until the SSO submits
        assert db.session.scalar(db.select(db.func.count()).select_from(Person)) == 1

    # Issue 18 point 6: the SSO keeps the photo on the record (the box is off until ticked).
    keep = page.get_by_test_id("keep-document-photo")
    expect(keep).not_to_be_checked()
    expect(page.get_by_test_id("document-photo-preview")).to_be_visible()
    keep.tap()
    page.get_by_label("Purpose of visit").select_option("Ship's agent")
    page.get_by_label("Document number").fill("XN0000001")  # not the record above: a new one
    page.get_by_role("button", name="Register and issue badge").tap()
    expect(page.get_by_test_id("document-photo")).to_be_visible()
    shoot(page, "document-photo-kept", screen)
    assert layout_problems(page) == []
