"""The PFSO reaches the report of the port call they are reading from the access log; a PFSO of
another facility, or a role that may not read reports, gets no link (and the report stays 403)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from gangway.db.models import PortCall, User
from gangway.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def pfso(app, make_user):
    """Call 1 at Euromax (NLRTM); a PFSO there and a PFSO at another facility in the port."""
    own, other = make_user("pfso"), make_user("pfso", "other-pfso")
    with app.app_context():
        db.session.get(PortCall, 1).facility_name = "Euromax"
        db.session.execute(update(User).where(User.id == own.id).values(
            facility_name="Euromax", facility_unlocode="NLRTM"))  # fmt: skip
        db.session.execute(update(User).where(User.id == other.id).values(
            facility_name="Other Terminal", facility_unlocode="NLRTM"))  # fmt: skip
        db.session.commit()
    return own


def log_in(client, username):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_pfso_log_links_to_the_report_of_the_call_viewed(client, pfso):
    log_in(client, "pfso")
    html = client.get("/pfso/log?port_call=1").get_data(as_text=True)
    assert 'href="/reports/port-calls/1" class="btn" data-testid="report-link"' in html
    report = client.get("/reports/port-calls/1")
    assert report.status_code == 200
    assert "End-of-port-call security report" in report.get_data(as_text=True)


def test_the_htmx_log_fragment_carries_the_link_too(app, hx, pfso):
    log_in(hx, "pfso")
    html = hx.get("/pfso/log?port_call=1&direction=board").get_data(as_text=True)
    assert html.lstrip().startswith('<section id="pfso-log"')
    assert 'data-testid="report-link"' in html


def test_a_pfso_of_another_facility_gets_no_link_and_no_report(client, pfso):
    log_in(client, "other-pfso")
    html = client.get("/pfso/log").get_data(as_text=True)
    assert 'data-testid="report-link"' not in html
    assert "/reports/port-calls/1" not in html
    assert client.get("/pfso/log?port_call=1").status_code == 403
    assert client.get("/reports/port-calls/1").status_code == 403


def test_the_admin_reads_the_log_without_a_report_link(auth, client, pfso):
    auth.login("admin")
    html = client.get("/pfso/log?port_call=1").get_data(as_text=True)
    assert 'data-testid="log-summary"' in html
    assert 'data-testid="report-link"' not in html


def test_the_sso_reading_the_log_gets_the_link(auth, client, pfso):
    auth.login("sso")
    html = client.get("/pfso/log?port_call=1").get_data(as_text=True)
    assert 'href="/reports/port-calls/1" class="btn" data-testid="report-link"' in html
