"""The PFSO reads the ship's access log in a browser: own facility only, filters, CSV, no writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gangway.db.models import AccessPoint, Movement, Person, PortCall, User
from gangway.extensions import db
from tests.browser.conftest import add_user, login
from tests.conftest import NOW

pytestmark = pytest.mark.browser


@pytest.fixture
def pfso_log(live_server):
    """A PFSO at Euromax (NLRTM); two movements in Rotterdam, one in a Hamburg port call."""
    app = live_server.app
    add_user(app, "pfso")
    recorder = add_user(app, "sso")
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "pfso")).one()
        user.facility_name, user.facility_unlocode = "Euromax", "NLRTM"
        sso = db.session.scalars(select(User).where(User.username == recorder)).one()
        rotterdam = db.session.scalars(select(PortCall)).one()
        rotterdam.facility_name = "Euromax"
        hamburg = PortCall(
            port_name="Hamburg",
            unlocode="DEHAM",
            facility_name="CTA",
            arrived_at=NOW - timedelta(days=5),
            departed_at=NOW - timedelta(days=3),
        )
        person = Person(kind="crew", family_name="HANSEN", given_names="Erik")
        db.session.add_all([hamburg, person])
        db.session.flush()
        point = db.session.scalars(select(AccessPoint)).first()
        for hours, direction, call in ((3, "board", rotterdam), (2, "depart", rotterdam)):
            db.session.add(
                Movement(
                    person_id=person.id,
                    direction=direction,
                    occurred_at=NOW - timedelta(hours=hours),
                    access_point_id=point.id,
                    port_call_id=call.id,
                    method="scan",
                    recorded_by_id=sso.id,
                )
            )
        db.session.commit()
    return live_server


def test_the_pfso_filters_and_exports_their_facilitys_log(page, pfso_log):
    login(page, pfso_log.url, "pfso")
    expect(page.get_by_role("heading", name="Access log")).to_be_visible()
    picker = page.locator("select[name=port_call] option")
    expect(picker).to_have_count(1)
    expect(picker).to_contain_text("Rotterdam")
    rows = page.locator("#pfso-log tbody tr[data-record-id]")
    expect(rows).to_have_count(2)

    page.locator("select[name=direction]").select_option("depart")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-direction", "depart")
    expect(page.get_by_test_id("log-total")).to_have_text("1")

    with page.expect_download() as caught:
        page.get_by_test_id("csv-link").click()
    download = caught.value
    text = download.path().read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("record_id,occurred_at_utc")
    assert len(lines) == 2
    assert ",depart," in lines[1]

    posts = page.locator("form[method=post]")
    expect(posts).to_have_count(1)
    expect(posts).to_have_attribute("action", "/logout")
