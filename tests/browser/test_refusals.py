"""The SSO hears of refused entries at once and acknowledges several with one response.

Written as the SSO acts on a tablet and a phone: the banner appears while another page is open,
a tap opens the list, three ticks, "Now", one response, and every count drops at once.
Set GANGWAY_SCREENSHOTS to a folder to keep screenshots of what the tests saw.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from gangway.db.models import AccessPoint, PortCall, Refusal, RefusalFollowUp, User
from gangway.extensions import db
from tests.browser import scanner
from tests.browser.conftest import SCREENS, add_user, issue, login
from tests.conftest import NOW

pytestmark = pytest.mark.browser
BOTH = pytest.mark.parametrize("screen", list(SCREENS), indirect=True)
WIDE = {"viewport": {"width": 1280, "height": 800}}
SHOTS = os.environ.get("GANGWAY_SCREENSHOTS")


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Keep a screenshot when GANGWAY_SCREENSHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def forged(code: str) -> str:
    """Change one character of a badge code so its signature no longer verifies."""
    return code[:20] + ("A" if code[20] != "A" else "B") + code[21:]


def scan(watch: Page, code: str) -> None:
    """Type a code at scanner speed and press Enter, as the keyboard-wedge scanner does."""
    watch.locator("#code").focus()
    scanner.scan(watch, code)


def in_port(app, zone: str = "Europe/Amsterdam") -> None:
    with app.app_context():
        db.session.scalars(select(PortCall)).one().timezone = zone
        db.session.commit()


def add_refusals(app, count: int) -> None:
    """Record `count` refusals, five minutes apart, as the watch's scans would."""
    watch = add_user(app, "watch")
    with app.app_context():
        watch_id = db.session.scalars(select(User.id).where(User.username == watch)).one()
        point_id = db.session.scalars(select(AccessPoint.id)).first()
        call_id = db.session.scalars(select(PortCall.id)).one()
        codes = ["forged", "responders_only", "expired", "unknown_code", "watch_listed"]
        for i in range(count):
            code = codes[i % len(codes)]
            db.session.add(
                Refusal(
                    scanned_text=f"GW1:AEAAAAQ{'x' * 60}{i}",
                    reason_code=code,
                    reason_message=f"Refused: {code.replace('_', ' ')}.",
                    reason_codes=code,
                    direction="board",
                    occurred_at=NOW - timedelta(minutes=5 * (count - i)),
                    access_point_id=point_id,
                    port_call_id=call_id,
                    method="scan",
                    credential="badge",
                    recorded_by_id=watch_id,
                )
            )
        db.session.commit()


def assert_banner_drawn_well(page: Page, width: int) -> None:
    """Below the nav, no line through its text, its text inside it, a tap target of 44 px."""
    banner = page.get_by_test_id("refusal-alert")
    box = banner.bounding_box()
    nav = page.locator("header.topbar").bounding_box()
    assert box["y"] >= nav["y"] + nav["height"] - 1, "the banner slides under the nav"
    assert box["height"] >= 44
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    look = banner.evaluate(
        """el => [getComputedStyle(el).textDecorationLine, getComputedStyle(el).display,
                  el.scrollWidth <= el.clientWidth, el.scrollHeight <= el.clientHeight]"""
    )
    assert look == ["none", "flex", True, True], look


@BOTH
def test_the_sso_acknowledges_three_refusals_with_one_response(
    page, screen, live_server, new_context
):
    app, url = live_server.app, live_server.url
    in_port(app)
    code = issue(app, kind="crew", family="HANSEN", given="Erik")
    add_user(app, "sso")
    login(page, url, "sso")
    page.goto(f"{url}/sso/onboard")
    alert = page.get_by_test_id("refusal-alert")
    expect(page.locator("#refusals-alerts[data-count='0']")).to_be_attached()
    expect(alert).to_have_count(0)

    watch = new_context(**SCREENS["tablet"]).new_page()
    add_user(app, "watch")
    login(watch, url, "watch")
    for n in (1, 2, 3):
        scan(watch, forged(code))
        expect(watch.locator("#watch-result")).to_have_attribute("data-verdict", "refused")
        expect(page.get_by_test_id("refusal-count")).to_have_text(str(n), timeout=10_000)
    expect(alert).to_contain_text("REFUSED: 3 entries to acknowledge")
    expect(alert).to_contain_text("port")  # the port's local time beside UTC
    assert_banner_drawn_well(page, SCREENS[screen]["viewport"]["width"])
    shoot(page, f"refusals-{screen}-banner")

    alert.tap()
    expect(page.get_by_role("heading", name="Refused entries")).to_be_visible()
    rows = page.locator("[data-testid=open-refusals] > li")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("> details")).to_have_attribute("open", "")  # the banner's newest
    expect(rows.first).to_contain_text("Altered or forged badge")
    expect(page.locator("#refusals-list")).not_to_contain_text("(forged)")
    rows.first.locator(".refusal-line").tap()  # close it again: the list is one line each
    expect(rows.first.locator("> details")).not_to_have_attribute("open", "")

    for i in range(3):
        rows.nth(i).locator(".refusal-tick").tap()
    bulk = page.locator("#refusals-bulk")
    submit = bulk.get_by_role("button", name=re.compile("Acknowledge ticked"))
    expect(submit).to_have_text("Acknowledge ticked (3)")
    bulk.get_by_label("Response taken").fill("Turned away; the duty officer told the CSO")
    bulk.get_by_role("button", name="Now (UTC): Reported to the CSO at").tap()
    cso = bulk.get_by_role("textbox", name="Reported to the CSO at")
    expect(cso).to_have_value(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
    typed = datetime.strptime(cso.input_value(), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert abs(typed - datetime.now(UTC)) < timedelta(minutes=2)
    expect(bulk.locator(".time-port").first).to_contain_text(re.compile(r"CES?T port time"))
    shoot(page, f"refusals-{screen}-ticked", full_page=True)

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit.tap()
    assert posted.value.status == 200
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("3 refused entries acknowledged")
    expect(page.get_by_test_id("open-count")).to_have_text("0")
    # The banner goes at once (the acknowledgement's event), not at its next 3-second poll.
    expect(page.locator("#refusals-alerts[data-count='0']")).to_be_attached(timeout=1_500)
    expect(alert).to_have_count(0)
    expect(page.locator("[data-testid=done-refusals] > li")).to_have_count(3)
    shoot(page, f"refusals-{screen}-acknowledged")
    with app.app_context():
        follow_ups = db.session.scalars(select(RefusalFollowUp)).all()
        assert len(follow_ups) == 3
        assert {f.reported_to_cso_at for f in follow_ups} == {typed}


@BOTH
def test_bad_input_keeps_the_ticks_and_says_what_is_wrong(page, screen, live_server):
    app, url = live_server.app, live_server.url
    add_refusals(app, 2)
    add_user(app, "sso")
    login(page, url, "sso")
    page.goto(f"{url}/sso/refusals/")
    rows = page.locator("[data-testid=open-refusals] > li")
    rows.first.locator(".refusal-tick").tap()
    bulk = page.locator("#refusals-bulk")
    bulk.get_by_label("Response taken").fill("Reported")
    later = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    bulk.get_by_role("textbox", name="Reported to the PFSO at").fill(later)
    bulk.get_by_role("button", name=re.compile("Acknowledge ticked")).tap()
    error = page.locator("#refusals-bulk").get_by_test_id("error-message")
    expect(error).to_contain_text("is in the future")
    pfso = page.locator("#refusals-bulk").get_by_role("textbox", name="Reported to the PFSO at")
    expect(pfso).to_be_focused()
    expect(rows.first.locator(".refusal-tick input")).to_be_checked()
    expect(page.get_by_test_id("open-count")).to_have_text("2")
    shoot(page, f"refusals-{screen}-error")
    with app.app_context():
        assert db.session.scalar(select(func.count(RefusalFollowUp.id))) == 0


@BOTH
def test_twenty_five_open_refusals_take_about_a_line_each(page, screen, live_server):
    app, url = live_server.app, live_server.url
    in_port(app)
    add_refusals(app, 25)
    add_user(app, "sso")
    login(page, url, "sso")
    page.goto(f"{url}/sso/refusals/")
    rows = page.locator("[data-testid=open-refusals] > li")
    expect(rows).to_have_count(25)
    expect(page.get_by_test_id("refusal-count")).to_have_text("25")
    width = SCREENS[screen]["viewport"]["width"]
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    texts = rows.all_inner_texts()
    for height, text in zip(heights, texts, strict=True):
        # Past midnight in port (the port's date is not UTC's) a row also shows the port's date.
        dated = len(re.findall(r"\d{4}-\d\d-\d\d", text)) > 1
        assert height <= (72 if screen == "phone" else 56) + (16 if dated else 0), (height, text)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for line in rows.locator(".refusal-line").all()[:3]:  # each part stays on its own line
        assert line.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(page.locator("#refusals-list")).to_contain_text("Level 3: responders only")
    expect(page.locator("#refusals-list")).not_to_contain_text("responders_only")
    expect(rows.first).to_contain_text(re.compile(r"\d\d:\d\d UTC"))
    expect(rows.first).to_contain_text(re.compile(r"\d\d:\d\d CES?T"))
    shoot(page, f"refusals-{screen}-25-open", full_page=True)

    rows.nth(2).locator(".refusal-line").tap()  # one opens to its whole story and its own form
    opened = rows.nth(2)
    expect(opened.get_by_role("button", name=re.compile("^Acknowledge r-"))).to_be_visible()
    expect(opened).to_contain_text("Refused: expired.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    opened.scroll_into_view_if_needed()
    shoot(page, f"refusals-{screen}-row-open")


def test_the_banner_is_drawn_well_on_a_wide_screen(new_context, live_server):
    app, url = live_server.app, live_server.url
    add_refusals(app, 1)
    add_user(app, "master")
    page = new_context(**WIDE).new_page()
    login(page, url, "master")
    page.goto(f"{url}/sso/plan/")
    expect(page.get_by_test_id("refusal-count")).to_have_text("1")
    assert_banner_drawn_well(page, WIDE["viewport"]["width"])
    shoot(page, "refusals-wide-banner")
