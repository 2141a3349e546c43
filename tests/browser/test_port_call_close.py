"""The SSO closes a port call while a visitor is still aboard: the page lists who and since when
and asks first; Cancel leaves the call open, the confirmation closes it. Tablet and phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gangway.db.models import Movement, Person, PortCall, User
from gangway.extensions import db
from tests.browser.conftest import SCREENS, add_user, login
from tests.conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.postgres]  # also run on PostgreSQL
SHOTS = Path("/tmp/reports-shots")


def put_visitor_aboard(app) -> None:
    """Record a surveyor boarding three hours ago, in Amsterdam time."""
    watch = add_user(app, "watch")
    with app.app_context():
        call = db.session.get(PortCall, 1)
        call.timezone = "Europe/Amsterdam"
        person = Person(kind="visitor", family_name="SURVEYOR", given_names="Eve",
                        company="Bureau Veritas Marine & Offshore")  # fmt: skip
        db.session.add(person)
        db.session.flush()
        user = db.session.scalars(select(User).where(User.username == watch)).one()
        move = Movement(person_id=person.id, direction="board", method="scan", access_point_id=1,
                        occurred_at=NOW - timedelta(hours=3), port_call_id=1,
                        recorded_by_id=user.id)  # fmt: skip
        db.session.add(move)
        db.session.flush()
        person.aboard_movement_id = move.id
        db.session.commit()


def is_open(app) -> bool:
    with app.app_context():
        return db.session.get(PortCall, 1).departed_at is None


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_closing_with_a_visitor_aboard_asks_first(page, live_server, screen):
    app = live_server.app
    put_visitor_aboard(app)
    add_user(app, "sso")
    login(page, live_server.url, "sso")
    page.goto(f"{live_server.url}/sso/port-calls/")
    row = page.locator("tr[data-call-id='1']")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Close (departed)").tap()
    question = page.locator("#port-calls-close-confirm")
    expect(question).to_be_in_viewport()
    expect(question).to_contain_text("1 person still aboard")
    expect(question).to_contain_text("SURVEYOR, Eve · visitor · Bureau Veritas Marine & Offshore")
    boarded = NOW - timedelta(hours=3)
    expect(question).to_contain_text(f"aboard since {boarded:%Y-%m-%d %H:%M} UTC")
    expect(question).to_contain_text("Europe/Amsterdam")
    expect(row).to_contain_text("In port")
    box = question.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= SCREENS[screen]["viewport"]["width"]
    confirm = question.get_by_role("button", name="Close with 1 aboard")
    cancel = question.get_by_role("link", name="Cancel")
    for control in (confirm, cancel):
        assert control.bounding_box()["height"] >= 44
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"close-confirm-{screen}.png")
    assert is_open(app)

    cancel.tap()
    expect(question).to_have_count(0)
    expect(row).to_contain_text("In port")
    assert is_open(app)

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Close (departed)").tap()
    question.get_by_role("button", name="Close with 1 aboard").tap()
    expect(page.get_by_test_id("notice")).to_contain_text("Port call at Rotterdam closed.")
    expect(row).not_to_contain_text("In port")
    expect(question).to_have_count(0)
    assert not is_open(app)
