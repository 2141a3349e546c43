"""The gangway tablet in a real browser: scanner wedge, badge photos, verdicts, live counts."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser import scanner
from tests.browser.conftest import SCREENS, VERDICT_RESET_SECONDS
from tests.support.imaging import photographed_qr_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.postgres]  # also run on PostgreSQL

BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
# The verdict resets after VERDICT_RESET_SECONDS; give its wait that plus a margin.
RESET_TIMEOUT_MS = (VERDICT_RESET_SECONDS + 3) * 1000
# The SSO list polls every 5 s.
POLL_TIMEOUT_MS = 10_000


def onboard_total(page: Page):
    return page.locator("#watch-onboard-count [data-testid=onboard-total]")


def scan(page: Page, code: str) -> None:
    """Type a code into the scan box and press Enter, as the keyboard-wedge scanner does."""
    page.locator("#code").focus()
    scanner.scan(page, code)


def hold_counter_poll(page: Page) -> None:
    """Drop the counter's 5-second poll, so only the scan itself can meet the ended session.

    Also wait until the service worker has installed: it fetches the scan page to keep it for
    offline use, and that answer would set the session cookie again after a test cleared it.
    """
    page.route("**/watch/onboard-count", lambda route: route.abort())
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")


def edited(code: str) -> str:
    """Change one character in the middle of a badge code (still the right shape)."""
    i = len(code) // 2
    return code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1 :]


@BOTH_SCREENS
def test_wedge_scan_of_crew_badge_shows_allowed_and_counter_increments(watch, badge):
    code = badge(kind="crew", family="HANSEN", given="Erik", rank="Master")
    result = watch.locator("#watch-result")
    expect(onboard_total(watch)).to_have_text("0")
    expect(result).to_have_attribute("data-verdict", "ready")

    expect(watch.locator("#code")).to_be_focused()  # the scanner types wherever focus is
    scanner.scan(watch, code)

    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("ALLOWED")
    expect(result.get_by_test_id("person-name")).to_have_text("HANSEN, Erik")
    expect(onboard_total(watch)).to_have_text("1")
    expect(watch.locator("#code")).to_have_value("")

    expect(result).to_have_attribute("data-verdict", "ready", timeout=RESET_TIMEOUT_MS)
    expect(result).to_contain_text("READY TO SCAN")
    expect(watch.locator("#code")).to_be_focused()


@BOTH_SCREENS
def test_photo_of_badge_is_decoded_on_the_server_and_allowed(watch, badge):
    code = badge(kind="crew", family="SANTOS", given="Maria")
    photo = photographed_qr_jpeg(code, seed=1)
    watch.set_input_files(
        "#photo-input", files=[{"name": "badge.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result).to_contain_text("ALLOWED")
    expect(result.get_by_test_id("person-name")).to_have_text("SANTOS, Maria")
    expect(onboard_total(watch)).to_have_text("1")


def test_edited_code_is_refused_as_forged_with_the_reason_shown(watch, badge):
    scan(watch, edited(badge(kind="crew")))
    result = watch.locator("#watch-result")
    expect(result).to_have_attribute("data-verdict", "refused")
    expect(result).to_contain_text("REFUSED")
    reason = result.locator("li.reason[data-code=forged]")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("Badge signature is invalid")
    expect(onboard_total(watch)).to_have_text("0")


def test_visitor_without_purpose_is_asked_for_one_and_then_allowed(watch, badge):
    code = badge(kind="visitor", family="VAN DIJK", given="Pieter", company="Rotterdam Ship Agency")
    result = watch.locator("#watch-result")

    scan(watch, code)
    expect(result).to_have_attribute("data-verdict", "purpose_needed")
    expect(result.get_by_test_id("verdict-word")).to_have_text("PURPOSE NEEDED")
    expect(onboard_total(watch)).to_have_text("0")

    result.locator("select[name=purpose]").select_option("Ship's agent")
    result.get_by_role("button", name="Record purpose").click()
    expect(result).to_have_attribute("data-verdict", "allowed")
    expect(result.get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    expect(result.get_by_test_id("person-name")).to_have_text("VAN DIJK, Pieter")
    expect(result.get_by_test_id("purpose")).to_have_text("Purpose: Ship's agent")
    expect(result).to_contain_text("Rotterdam Ship Agency")
    expect(onboard_total(watch)).to_have_text("1")


def test_a_second_scan_takes_the_person_ashore_in_other_words_and_colour(watch, badge):
    code = badge(kind="crew", family="MEIER", given="Anna")
    result = watch.locator("#watch-result")

    scan(watch, code)
    expect(result.get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    expect(result).to_have_class(re.compile(r"verdict-aboard"))
    expect(onboard_total(watch)).to_have_text("1")

    scan(watch, code)
    expect(result.get_by_test_id("verdict-word")).to_have_text("ALLOWED ASHORE")
    expect(result).to_have_class(re.compile(r"verdict-ashore"))
    aboard_colour = "rgb(10, 125, 44)"
    assert result.evaluate("e => getComputedStyle(e).backgroundColor") != aboard_colour
    expect(onboard_total(watch)).to_have_text("0")


def test_expired_session_sends_the_watch_to_login_not_into_the_verdict_box(watch, badge, context):
    code = badge(kind="crew")
    hold_counter_poll(watch)  # the scan itself, not the counter's poll, must redirect
    context.clear_cookies()

    with watch.expect_response(lambda r: urlsplit(r.url).path == "/watch/scan") as scanned:
        scan(watch, code)

    assert scanned.value.status == 401
    assert scanned.value.headers.get("hx-redirect", "").startswith("/login?next=")
    expect(watch).to_have_url(re.compile(r"/login\?next=/watch/$"))
    expect(watch.locator("input[type=password]")).to_be_visible()
    expect(watch.locator("#watch-result form")).to_have_count(0)


def test_scan_after_logging_out_in_another_tab_goes_to_login(watch, badge, context):
    code = badge(kind="crew")
    hold_counter_poll(watch)
    other_tab = context.new_page()
    other_tab.goto(watch.url)
    other_tab.get_by_role("button", name="Log out").click()
    expect(other_tab.locator("input[type=password]")).to_be_visible()

    with watch.expect_response(lambda r: urlsplit(r.url).path == "/watch/scan") as scanned:
        scan(watch, code)

    expect(watch).to_have_url(re.compile(r"/login\?next="))
    expect(watch.locator("input[type=password]")).to_be_visible()
    expect(watch.locator("#watch-result form")).to_have_count(0)
    assert scanned.value.status == 401


def test_sso_on_board_list_updates_live(live_server, new_context, log_in, badge):
    code = badge(kind="crew", family="OKAFOR", given="Chinedu")
    sso = log_in(new_context(**SCREENS["tablet"]).new_page(), "sso")
    sso.goto(f"{live_server.url}/sso/onboard")
    total = sso.locator("#sso-onboard [data-testid=onboard-total]")
    expect(total).to_have_text("0")

    watch = log_in(new_context(**SCREENS["tablet"]).new_page(), "watch")
    scan(watch, code)
    expect(watch.locator("#watch-result")).to_have_attribute("data-verdict", "allowed")

    expect(total).to_have_text("1", timeout=POLL_TIMEOUT_MS)
    expect(sso.locator("#sso-onboard")).to_contain_text("OKAFOR, Chinedu")


def test_page_loads_nothing_from_outside_the_app(live_server, context, page, log_in):
    # Reported by the page itself: a CSP violation fires this event even when nothing is logged.
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    requests: list[str] = []
    console_errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))

    log_in(page, "watch")
    toggle = page.locator("#camera-toggle")
    expect(toggle).to_have_attribute("data-camera-state", "off")
    toggle.click()
    # No camera in headless Chromium: it ends "unavailable" or "off", with a message either way
    # (the message is only shown once the attempt has finished; loading the WebAssembly decoder
    # can take seconds on a busy CI machine).
    expect(page.locator("#camera-message")).to_contain_text(
        "use the photo button or the scanner", timeout=20_000
    )
    expect(toggle).to_have_attribute("data-camera-state", re.compile(r"^(unavailable|off)$"))

    page.reload()  # a second full load, with the browser's cache in play
    expect(page.locator("#scan-form")).to_be_visible()

    outside = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert requests
    assert not outside, f"requests left the app: {outside}"
    assert all(url.startswith(live_server.url) for url in requests if url.startswith("http"))
    csp_errors = [m for m in console_errors if re.search(r"Content[ -]Security[ -]Policy", m)]
    assert not csp_errors, csp_errors
    assert page.evaluate("window.__cspViolations") == []
