"""The scan page as a watch uses it with a queue waiting: wherever the last tap left the focus,
a scanner's burst is a scan; direction and purpose never carry over to the next person; CHECKING
shows at once; the last checks stay on the page, a refusal pinned until seen.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from gangway.db.models import AccessPoint, Badge, Movement, Refusal
from gangway.extensions import db
from tests.browser import scanner
from tests.browser import test_camera_scan as camera
from tests.browser.conftest import SCREENS, issue
from tests.conftest import NOW
from tests.support.imaging import photographed_qr_jpeg

pytestmark = pytest.mark.browser
BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)


def burst(page: Page, code: str) -> None:
    """A keyboard-wedge scanner: a burst of keys and Enter, into whatever has the focus."""
    scanner.scan(page, code)


def records(app) -> list[tuple[str, str, str, str | None]]:
    """(family name, direction, outcome, purpose) of every movement and refusal, in time order."""
    with app.app_context():
        moved = [
            (m.occurred_at, m.person.family_name, m.direction, "allowed", m.purpose)
            for m in db.session.scalars(select(Movement))
        ]
        refused = [
            (r.occurred_at, r.person.family_name if r.person else "?", r.direction, "refused", None)
            for r in db.session.scalars(select(Refusal))
        ]
    return [row[1:] for row in sorted(moved + refused, key=lambda row: row[0])]


def result(page: Page):
    return page.locator("#watch-result")


@BOTH_SCREENS
def test_after_tapping_leaving_a_burst_is_still_a_scan_and_leaving_counts_once(watch, live_server):
    app = live_server.app
    leaving = issue(app, kind="crew", family="HANSEN", given="Erik")
    boarding = issue(app, kind="crew", family="SANTOS", given="Maria")

    watch.locator("label.dir-depart").click()  # the focus stays on the radio button
    burst(watch, leaving)
    expect(result(watch)).to_have_attribute("data-verdict", "allowed")
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ASHORE")
    expect(watch.locator("input[name=direction][value=auto]")).to_be_checked()

    burst(watch, boarding)  # the next person, ashore: boarding, not leaving
    expect(result(watch).get_by_test_id("person-name")).to_have_text("SANTOS, Maria")
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    assert records(app) == [
        ("HANSEN", "depart", "allowed", None),
        ("SANTOS", "board", "allowed", None),
    ]


@BOTH_SCREENS
def test_a_burst_with_the_focus_on_the_check_button_or_nowhere_is_a_scan(watch, live_server):
    app = live_server.app
    first = issue(app, kind="crew", family="MEIER", given="Anna")
    second = issue(app, kind="crew", family="OKAFOR", given="Chinedu")

    watch.get_by_role("button", name="Check").focus()
    burst(watch, first)
    expect(result(watch).get_by_test_id("person-name")).to_have_text("MEIER, Anna")
    watch.evaluate("document.activeElement.blur()")
    burst(watch, second)
    expect(result(watch).get_by_test_id("person-name")).to_have_text("OKAFOR, Chinedu")
    assert [r[0] for r in records(app)] == ["MEIER", "OKAFOR"]


@BOTH_SCREENS
def test_departing_one_person_then_scanning_another_ashore_records_a_boarding(watch, live_server):
    app = live_server.app
    crew = issue(app, kind="crew", family="IVANOV", given="Dmitri")
    other = issue(app, kind="crew", family="DUBOIS", given="Luc")
    burst(watch, crew)  # aboard
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    burst(watch, crew)  # across: ashore
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ASHORE")
    burst(watch, other)
    expect(result(watch).get_by_test_id("person-name")).to_have_text("DUBOIS, Luc")
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ABOARD")
    assert [r[1] for r in records(app)] == ["board", "depart", "board"]


@BOTH_SCREENS
def test_a_badge_typed_at_scanner_speed_into_the_purpose_box_is_scanned_not_stored(
    watch, live_server
):
    """Asked for a visitor's purpose, the watch taps "or type it"; the next person's badge is
    scanned before anything is typed: it is that person's scan, not the visitor's purpose."""
    app = live_server.app
    visitor = issue(app, kind="visitor", family="COOPER", given="Sam")
    crew = issue(app, kind="crew", family="TAN", given="Wei")
    burst(watch, visitor)
    expect(result(watch)).to_have_attribute("data-verdict", "purpose_needed")
    other = result(watch).locator("input[name=purpose_other]")
    other.click()
    burst(watch, crew)
    expect(result(watch).get_by_test_id("person-name")).to_have_text("TAN, Wei")
    assert records(app) == [("TAN", "board", "allowed", None)]  # the visitor: nothing yet


@BOTH_SCREENS
def test_a_person_typing_slowly_into_the_purpose_box_types_there(watch, live_server):
    app = live_server.app
    visitor = issue(app, kind="visitor", family="COOPER", given="Sam")
    burst(watch, visitor)
    other = result(watch).locator("input[name=purpose_other]")
    other.click()
    watch.keyboard.type("Pilot boarding", delay=90)
    expect(other).to_have_value("Pilot boarding")
    watch.keyboard.press("Enter")
    expect(result(watch).get_by_test_id("purpose")).to_have_text("Purpose: Pilot boarding")
    assert records(app) == [("COOPER", "board", "allowed", "Pilot boarding")]


def test_a_registered_visitor_boards_with_the_registered_purpose_and_the_watch_is_not_asked(
    watch, live_server
):
    app = live_server.app
    visitor = issue(app, kind="visitor", family="LARSEN", given="Ole", purpose="Surveyor / class")
    burst(watch, visitor)
    expect(result(watch).get_by_test_id("purpose")).to_have_text("Purpose: Surveyor / class")
    assert records(app) == [("LARSEN", "board", "allowed", "Surveyor / class")]


@BOTH_SCREENS
def test_checking_replaces_the_last_verdict_at_once_and_the_next_scan_waits_its_turn(
    watch, live_server
):
    """Two people 50 ms apart while the link is slow: CHECKING shows at once (the previous
    person's green verdict is gone); both are checked, each as their own code, in order."""
    app = live_server.app
    refused = issue(app, kind="crew", family="ROSSI", given="Giulia")
    with app.app_context():  # a revoked badge: REFUSED
        badge = db.session.scalars(select(Badge).order_by(Badge.id.desc())).first()
        badge.revoked_at, badge.revoked_reason = NOW, "lost"
        db.session.commit()
    allowed = issue(app, kind="crew", family="LIM", given="Jun")
    burst(watch, allowed)
    expect(result(watch)).to_have_attribute("data-verdict", "allowed")

    held, released = [], []
    watch.route(
        "**/watch/scan", lambda route: route.continue_() if released else held.append(route)
    )
    burst(watch, refused)
    expect(result(watch)).to_have_attribute("data-verdict", "checking")
    expect(result(watch)).to_contain_text("CHECKING")
    expect(result(watch)).not_to_contain_text("ALLOWED")
    burst(watch, allowed)  # the next person, while the first is still being checked
    expect(watch.locator("#code")).to_have_value("")
    assert len(held) == 1  # one at a time: the second waits its turn
    released.append(True)
    held[0].continue_()
    expect(result(watch).get_by_test_id("person-name")).to_have_text("LIM, Jun")
    assert records(app) == [
        ("LIM", "board", "allowed", None),
        ("ROSSI", "board", "refused", None),
        ("LIM", "depart", "allowed", None),
    ]
    recent = watch.get_by_test_id("recent-item")
    expect(recent).to_have_count(3)
    expect(recent.nth(1)).to_contain_text("ROSSI, Giulia")
    expect(recent.nth(1)).to_contain_text("REFUSED")


@BOTH_SCREENS
def test_a_refusal_stays_pinned_in_the_last_checks_until_the_watch_taps_seen(watch, live_server):
    app = live_server.app
    burst(watch, "GW1:NOT-A-BADGE-AT-ALL")
    expect(result(watch)).to_have_attribute("data-verdict", "refused")
    crew = issue(app, kind="crew", family="SILVA", given="Joao")
    recent = watch.get_by_test_id("recent-item")
    for n in range(6):  # six more people: the refusal drops out of the last five, but stays
        burst(watch, crew)
        expect(watch.locator(".recent-allowed")).to_have_count(min(n + 1, 5))
    expect(result(watch)).to_have_attribute("data-verdict", "allowed")
    expect(recent).to_have_count(6)
    pinned = watch.locator(".recent-pinned")
    expect(pinned).to_have_count(1)
    expect(pinned).to_contain_text("REFUSED")
    watch.reload()  # a reload (or the re-login after the idle logout) keeps them
    expect(watch.locator(".recent-pinned")).to_have_count(1)
    seen = watch.get_by_role("button", name=re.compile("seen"))
    assert seen.bounding_box()["height"] >= 44
    seen.click()
    expect(watch.locator(".recent-pinned")).to_have_count(0)
    expect(watch.get_by_test_id("recent-item")).to_have_count(5)


@BOTH_SCREENS
def test_a_slow_photo_upload_shows_checking_with_its_progress(watch, live_server):
    app = live_server.app
    code = issue(app, kind="crew", family="NGUYEN", given="Van An")
    burst(watch, code)
    expect(result(watch)).to_have_attribute("data-verdict", "allowed")
    cdp = watch.context.new_cdp_session(watch)
    cdp.send("Network.enable")
    cdp.send(  # a weak gangway Wi-Fi: 64 kB/s up
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 200,
            "downloadThroughput": 256_000,
            "uploadThroughput": 64_000,
        },
    )
    photo = photographed_qr_jpeg(code, seed=3)
    watch.set_input_files(
        "#photo-input", files=[{"name": "badge.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    expect(result(watch)).to_have_attribute("data-verdict", "checking")
    expect(result(watch)).to_contain_text("Reading the photo")
    expect(result(watch).get_by_test_id("upload-progress")).to_be_visible()
    watch.wait_for_function(
        "() => document.querySelector('.upload-progress')?.value > 0", timeout=20_000
    )
    expect(result(watch)).to_have_attribute("data-verdict", "allowed", timeout=60_000)
    expect(result(watch).get_by_test_id("verdict-word")).to_have_text("ALLOWED ASHORE")


def test_a_one_way_gangway_offers_no_direction_and_says_so(page, log_in, live_server):
    app = live_server.app
    with app.app_context():
        point = db.session.scalars(select(AccessPoint).where(AccessPoint.code == "MAIN-GW")).one()
        point.one_way = "board"
        db.session.commit()
    code = issue(app, kind="crew", family="GARCIA", given="Miguel")
    watch = log_in(page, "watch")
    expect(watch.get_by_test_id("one-way")).to_have_text("⬆ boarding only")
    expect(watch.locator("input[name=direction][value=depart]")).to_have_count(0)
    burst(watch, code)
    expect(watch.get_by_test_id("recent-item")).to_have_count(1)
    # Aboard already, but this gangway only boards: a second boarding, not a departure, which
    # the plan's anti-passback refuses.
    burst(watch, code)
    expect(watch.get_by_test_id("recent-item")).to_have_count(2)
    expect(watch.get_by_test_id("recent-item").first).to_contain_text("BOARDING")
    expect(watch.get_by_test_id("recent-item").first).to_contain_text("REFUSED")
    assert [r[1:3] for r in records(app)] == [("board", "allowed"), ("board", "refused")]


@pytest.mark.parametrize("screen", ["phone"], indirect=True)
def test_on_a_phone_the_live_camera_is_reachable_without_scrolling(watch):
    toggle = watch.locator("#camera-toggle").bounding_box()
    assert toggle["y"] + toggle["height"] <= SCREENS["phone"]["viewport"]["height"]
    assert toggle["y"] < result(watch).bounding_box()["y"]
    # The preview (shown once the camera starts) sits between the buttons and the verdict.
    follows = "Node.DOCUMENT_POSITION_FOLLOWING"
    assert watch.evaluate(
        "() => !!(document.getElementById('camera-preview').compareDocumentPosition("
        f"document.getElementById('watch-result')) & {follows})"
    )


camera_watch = camera.camera_watch  # the fixture: a Chromium whose camera films a badge


def test_on_a_phone_the_started_camera_shows_above_the_verdict_on_screen(camera_watch, live_server):
    code = issue(live_server.app, kind="crew", family="BAUTISTA", given="Rico")
    page, _ = camera_watch(code, "phone")
    camera.start_camera(page)
    preview = page.locator("#camera-preview").bounding_box()
    height = SCREENS["phone"]["viewport"]["height"]
    assert preview["y"] >= 0
    assert preview["y"] + preview["height"] <= height
    expect(result(page)).to_have_attribute("data-verdict", "allowed", timeout=15_000)
    assert page.locator("#camera-preview").bounding_box()["y"] < result(page).bounding_box()["y"]
