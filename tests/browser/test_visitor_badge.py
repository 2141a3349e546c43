"""The SSO issues a visitor card; the watch scans the printed card; a revoked one is refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser import scanner
from tests.browser.conftest import SCREENS, add_user, login

pytestmark = pytest.mark.browser

# The image's width once it has loaded or failed: visible is only its box, which CSS sizes.
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
  img.addEventListener("load", () => done(img.naturalWidth));
  img.addEventListener("error", () => done(0));
})"""


def portrait_jpeg() -> bytes:
    """A made-up ID photo (no real face): a head and shoulders drawn in flat colours."""
    image = Image.new("RGB", (300, 400), (200, 214, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 70, 205, 200), fill=(225, 190, 160))
    draw.rectangle((60, 260, 240, 400), fill=(40, 60, 100))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def test_sso_issues_a_visitor_card_the_watch_scans_it_then_a_revoked_badge_is_refused(
    page, new_context, live_server
):
    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/visitors/new")
    page.get_by_label("Family name").fill("Lindqvist")
    page.get_by_label("Given names").fill("Åsa")
    page.get_by_label("Company or organisation").fill("Nordic Ship Agency")
    page.locator("select[name=purpose]").select_option("Ship's agent")
    page.get_by_label("Host or department").fill("Chief Officer")
    page.set_input_files(
        "input[name=photo]",
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": portrait_jpeg()}],
    )
    page.get_by_role("button", name="Register and issue badge").click()
    expect(page.get_by_role("heading", name="LINDQVIST, Åsa")).to_be_visible()
    expect(page.locator("img.card-preview")).to_be_visible()
    card_url = page.locator("img.card-preview").get_attribute("src")
    printed_card = page.request.get(f"{live_server.url}{card_url}").body()  # the card as printed
    code = page.locator("code.code-text").inner_text()

    watch_context = new_context(**SCREENS["tablet"])
    watch = watch_context.new_page()
    add_user(live_server.app, "watch")
    login(watch, live_server.url, "watch")
    watch.set_input_files(
        "#photo-input",
        files=[{"name": "card.png", "mimeType": "image/png", "buffer": printed_card}],
    )
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("LINDQVIST, Åsa")
    expect(result.get_by_test_id("purpose")).to_have_text("Purpose: Ship's agent")
    expect(result.locator("img.photo")).to_be_visible()
    assert result.locator("img.photo").evaluate(LOADED_WIDTH) > 0  # the photo itself, loaded

    page.get_by_label("Reason").fill("left the ship's agency")
    page.get_by_role("button", name="Revoke badge").click()
    expect(page.get_by_test_id("badge-state")).to_contain_text("REVOKED")

    expect(result).to_have_attribute("data-verdict", "ready")  # the verdict resets by itself
    watch.locator("#code").focus()
    scanner.scan(watch, code)  # aboard: this scan takes her ashore, a revoked badge or not
    expect(result.get_by_test_id("verdict-word")).to_have_text("ALLOWED ASHORE")
    expect(result).to_contain_text("Badge has been revoked (departure recorded).")
    scanner.scan(watch, code)  # and back: refused
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result).to_contain_text("Badge has been revoked.")
    watch_context.close()


FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
FACE = (225, 190, 160)  # portrait_jpeg's face, at about a third of the photo's height


def card_face_colour(png: bytes) -> tuple[int, int, int]:
    """Return the colour where the card prints the face of its photo (cards/layout.py PHOTO)."""
    card = Image.open(io.BytesIO(png)).convert("RGB")
    per_mm = card.width / 85.6
    x, y = (3.5 + 17.0 * 0.5) * per_mm, (19.6 + 22.67 * 0.34) * per_mm
    return card.getpixel((round(x), round(y)))


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_visitor_form_shows_one_kind_puts_the_error_at_purpose_and_keeps_the_photo(
    context, live_server, screen
):
    page = context.new_page()
    add_user(live_server.app, "sso")
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/visitors/new")
    work_order, role = page.get_by_label("Work order number"), page.locator("#f-authority_role")
    page.get_by_label("Visitor", exact=True).tap()
    expect(work_order).to_be_hidden()
    expect(role).to_be_hidden()
    expect(page.get_by_text("Work order from (UTC)")).to_be_hidden()
    page.get_by_label("Contractor", exact=True).tap()
    expect(work_order).to_be_visible()
    expect(role).to_be_hidden()
    page.get_by_label("Authority", exact=True).tap()
    expect(role).to_be_visible()
    expect(work_order).to_be_hidden()
    page.get_by_label("Visitor", exact=True).tap()
    expect(role).to_be_hidden()
    expect(work_order).to_be_disabled()  # not sent with the form
    assert page.evaluate(FITS), f"the form scrolls sideways at {screen}"

    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Given names").fill("Ngozi")
    page.set_input_files(
        "input[name=photo]",
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": portrait_jpeg()}],
    )
    page.get_by_role("button", name="Register and issue badge").tap()  # no purpose chosen

    purpose = page.get_by_label("Purpose of visit")
    message = page.locator("#f-purpose-error")
    expect(message).to_have_text("State the purpose of the visit.")
    expect(purpose).to_be_focused()
    expect(purpose).to_have_attribute("aria-describedby", "f-purpose-error")
    under, field = message.bounding_box(), purpose.bounding_box()
    assert under["y"] >= field["y"] + field["height"]  # right under the field,
    assert abs(under["x"] - field["x"]) < 2  # aligned with it
    kept = page.get_by_role("img", name="The photo for the badge")
    expect(kept).to_be_visible()
    assert kept.get_attribute("src").startswith("data:image/jpeg")  # the server kept it
    assert kept.evaluate(LOADED_WIDTH) > 0
    expect(page.get_by_label("Family name")).to_have_value("Okafor")
    assert page.evaluate(FITS), f"the form with an error scrolls sideways at {screen}"

    purpose.select_option("Ship's agent")
    page.get_by_role("button", name="Register and issue badge").tap()
    expect(page.get_by_role("heading", name="OKAFOR, Ngozi")).to_be_visible()
    card = page.locator("img.card-preview")
    expect(card).to_be_visible()
    printed = page.request.get(f"{live_server.url}{card.get_attribute('src')}").body()
    colour = card_face_colour(printed)
    assert all(abs(a - b) < 40 for a, b in zip(colour, FACE, strict=True)), colour
