"""The instance the scan benchmarks and crash tests build: its token and badges scan, and the
bulk-inserted history (raw SQL, so a new NOT NULL column would break it here first) is as asked.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from gangway.extensions import db
from tests.support.scan_instance import ACCESS_POINT, build_scan_instance


def test_built_instance_scans_with_its_token_and_holds_the_history_asked_for(tmp_path):
    instance = build_scan_instance(tmp_path, crew=3, port_calls=2, movements=40)
    with closing(sqlite3.connect(instance.db_path)) as conn:
        history = conn.execute(
            "SELECT port_call_id, count(*), sum(badge_id = person_id) FROM movement "
            "GROUP BY port_call_id ORDER BY port_call_id"
        ).fetchall()
    first, last = instance.call_ids
    assert [call for call, _, _ in history] == [first, last]  # spread over both calls
    assert sum(n for _, n, _ in history) == 40
    assert all(own == n for _, n, own in history)  # each by the person's own badge

    app = instance.create_app()
    body = {
        "code": instance.codes[2],
        "access_point": ACCESS_POINT,
    }  # across: whichever way
    headers = {"Authorization": f"Bearer {instance.token}"}
    response = app.test_client().post("/api/v1/scans", json=body, headers=headers)
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 201, response.get_json()
    with closing(sqlite3.connect(instance.db_path)) as conn:
        scanned = conn.execute(
            "SELECT person_id, port_call_id FROM movement ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert scanned == (instance.person_ids[2], last)  # the crew member, in the open call
