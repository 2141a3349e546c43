"""`gangway adopt-records` adopts only records older than the chain, never one slipped in later."""

from __future__ import annotations

import re

from sqlalchemy import text

from gangway.db.models import ReportSnapshot
from gangway.extensions import db
from tests.conftest import NOW
from tests.integration.test_audit_log import problems, records, sql, verify

__all__ = ["records"]  # the fixture

MOVEMENT = (
    "INSERT INTO movement (person_id, direction, occurred_at, access_point_id, port_call_id, "
    "method, credential, searched, flags, recorded_by_id) "
    "VALUES (:p, 'depart', :at, 1, 1, 'scan', 'badge', :f, '', :u)"
)


def slip_in_movement(app) -> None:
    with app.app_context():
        person, user = db.session.execute(
            text("SELECT person_id, recorded_by_id FROM movement ORDER BY id LIMIT 1")
        ).one()
    sql(app, MOVEMENT, p=person, at=NOW, f=False, u=user)


def test_a_movement_slipped_in_is_not_adopted_with_or_without_an_anchor(app, runner, records):
    slip_in_movement(app)
    found = problems(verify(runner))
    assert [code for code, _ in found] == ["row_unchained"]
    result = runner.invoke(args=["adopt-records", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Nothing to adopt: the chain covers every table" in result.output
    output = verify(runner)
    assert problems(output) == found
    seq, digest = re.search(r"head #(\d+) sha256:(\w+)", output).groups()
    assert problems(verify(runner, "--anchor", f"#{seq} {digest[:4]}…{digest[-4:]}", "--anchor",
                            f"{seq}:{digest}")) == found  # fmt: skip


def test_a_stored_report_copy_slipped_in_is_not_adopted(app, runner, records):
    """report_snapshot is chained by a later version: its table is covered from its first row."""
    with app.app_context():
        db.session.add(ReportSnapshot(port_call_id=1, status="pending", requested_at=NOW))
        db.session.commit()
    sql(app, "INSERT INTO report_snapshot (port_call_id, status, requested_at, html_sha256) "
        "VALUES (1, 'ready', :at, :h)", at=NOW, h="0" * 64)  # fmt: skip
    runner.invoke(args=["adopt-records", "--yes"])
    assert [code for code, _ in problems(verify(runner))] == ["row_unchained"]


def test_records_of_a_table_a_new_version_chains_are_adopted_once(app, runner, records):
    """Upgraded past the revision that chains report copies: the copies stored before are
    adopted (once), a copy slipped in afterwards is not."""
    sql(app, "DELETE FROM audit_entry WHERE record_table = 'report_snapshot'")  # none yet
    sql(app, "INSERT INTO report_snapshot (port_call_id, status, requested_at) "
        "VALUES (1, 'pending', :at)", at=NOW)  # fmt: skip
    result = runner.invoke(args=["adopt-records", "--yes"])
    assert "report snapshot: 1" in result.output
    verify(runner, ok=True)
    sql(app, "INSERT INTO report_snapshot (port_call_id, status, requested_at) "
        "VALUES (1, 'pending', :at)", at=NOW)  # fmt: skip
    result = runner.invoke(args=["adopt-records", "--yes"])
    assert "Nothing to adopt" in result.output
    assert [code for code, _ in problems(verify(runner))] == ["row_unchained"]
