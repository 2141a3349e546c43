"""The one authorised deletion: a purge of an archived port call leaves the audit chain valid.

SOLAS XI-2/9.2.1 and 33 CFR 104.235 allow old calls' records to leave the database once archived;
ISPS A/10.3 wants any other deletion to show.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from gangway.db.models import AuditEntry, Movement
from gangway.extensions import db
from gangway.services.ship.retention import archive_port_call, purge_port_call
from tests.conftest import NOW
from tests.integration.port_call_builders import DAYS, add_old_calls
from tests.integration.test_audit_log import problems, sql, verify


@pytest.fixture
def old_calls(app, make_user, make_person):
    """Eleven port calls closed long ago, each with one record of every kind (purgeable)."""
    user, person = make_user("admin"), make_person()
    with app.app_context():
        return add_old_calls(db.session, user_id=user.id, person_id=person)


def test_an_authorised_purge_verifies_but_a_deletion_in_another_call_does_not(
    app, runner, old_calls, tmp_path
):
    oldest, other = old_calls[0], old_calls[1]
    with app.app_context():
        archive_port_call(db.session, oldest, tmp_path / "a.zip", now=NOW)
        purge_port_call(db.session, oldest, now=NOW, retention_days=DAYS)
        purge = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        victim = db.session.scalars(
            select(Movement.id).where(Movement.port_call_id == other)
        ).first()
    assert purge.kind == "records.purged"
    removed = json.loads(purge.payload)
    assert removed["port_call_id"] == oldest
    assert {t: r["count"] for t, r in removed["tables"].items()} == {
        "movement": 2,
        "refusal": 1,
        "refusal_follow_up": 1,
        "level_change": 1,
        "declaration": 1,
        "report_sign_off": 1,
    }
    verify(runner, ok=True)
    sql(app, "DELETE FROM movement WHERE id = :i", i=victim)
    assert [code for code, _ in problems(verify(runner))] == ["row_deleted"]


def test_purge_refuses_a_call_whose_records_were_tampered_with(app, runner, old_calls, tmp_path):
    oldest = old_calls[0]
    with app.app_context():
        movement = db.session.scalars(
            select(Movement.id).where(Movement.port_call_id == oldest)
        ).first()
    sql(app, "UPDATE movement SET direction = 'depart' WHERE id = :i", i=movement)
    runner.invoke(args=["archive-port-call", str(oldest), "--to", str(tmp_path / "a.zip")])
    result = runner.invoke(args=["purge-port-call", str(oldest), "--yes"])
    assert result.exit_code == 1
    assert f"Not purged: movement {movement} was changed after chain entry" in result.output
    with app.app_context():
        assert db.session.get(Movement, movement) is not None
