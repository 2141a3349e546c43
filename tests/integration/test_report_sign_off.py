"""The SSO signs off the report they read: records that changed after the page was shown are not
signed unseen."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from gangway.db.models import Movement, ReportSignOff
from gangway.extensions import db
from tests.conftest import NOW

URL = "/reports/port-calls/1"


def _seen_hash(client) -> str:
    html = client.get(URL).get_data(as_text=True)
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', html)[1]


def _sign_offs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReportSignOff))


def test_a_record_added_after_the_page_was_shown_is_not_signed_unseen(
    app, auth, client, make_person, make_user
):
    watch = make_user("watch", "sign-off-watch")
    auth.login("sso")
    seen = _seen_hash(client)
    person = make_person()
    with app.app_context():  # a scan arrives while the SSO reads the report of the open call
        db.session.add(
            Movement(person_id=person, direction="board", occurred_at=NOW, access_point_id=1,
                     port_call_id=1, method="scan", recorded_by_id=watch.id)
        )  # fmt: skip
        db.session.commit()
    html = client.post(
        URL + "/sign-off", data={"content_hash": seen}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The records changed since this page was shown" in html
    assert _sign_offs(app) == 0
    client.post(URL + "/sign-off", data={"content_hash": _seen_hash(client)})
    assert _sign_offs(app) == 1
