"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, stamp, upgrade
from sqlalchemy import MetaData, Table, text

from gangway.extensions import db
from tests.conftest import NOW


def test_init_db_upgrades_an_empty_database_to_the_models_schema(app, runner):
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_migrations_downgrade_to_nothing_and_up_again(app):
    with app.app_context():
        db.drop_all()
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []


def test_upgrading_a_database_that_holds_records_keeps_every_record(app, make_badge, auth, client):
    """Migrations run on ships with years of records: none may be lost or orphaned."""
    from sqlalchemy import func, select

    from gangway.db.models import Badge, Movement, Person

    auth.login("watch")
    client.post("/watch/scan", data={"code": make_badge(), "direction": "board"})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        Table("alembic_version", MetaData()).drop(db.engine, checkfirst=True)
        stamp(directory=directory, revision="head")
        downgrade(directory=directory, revision="c16e82788aa9")  # the first schema, rows kept
        upgrade(directory=directory)
        counts = [
            db.session.scalar(select(func.count()).select_from(m))
            for m in (Person, Badge, Movement)
        ]
        assert counts == [1, 1, 1]
        assert db.session.scalars(select(Movement.credential)).one() == "badge"


def _records_before_snapshots(app, make_badge, auth, client, monkeypatch, tamper=None):
    """Scan a boarding and a refusal as the version before record snapshots chained them,
    then take the schema back to that version (rows kept)."""
    from gangway.services.audit import audit
    from gangway.services.audit import content as audit_content
    from gangway.services.audit.record_snapshots import ESCORT, SNAPSHOT
    from gangway.services.scan import writes as scan_writes

    def before(table_name: str) -> tuple[str, ...]:  # the columns the previous version chained
        added = {*SNAPSHOT, *ESCORT}
        return tuple(f for f in audit_content.chained_fields(table_name) if f not in added)

    for module in (audit, scan_writes):
        monkeypatch.setattr(module, "chained_fields", before)
    auth.login("watch")
    client.post("/watch/scan", data={"code": make_badge(), "direction": "board"})
    expired = make_badge(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=9))
    client.post("/watch/scan", data={"code": expired, "direction": "board"})
    monkeypatch.undo()
    with app.app_context():
        if tamper:
            with db.engine.begin() as conn:
                conn.execute(text(tamper))
        directory = app.extensions["migrate"].directory
        Table("alembic_version", MetaData()).drop(db.engine, checkfirst=True)
        stamp(directory=directory, revision="head")
        downgrade(directory=directory, revision="b7c1d2e3f413")  # just before snapshots


def test_records_written_before_snapshots_get_their_persons_copy_and_still_verify(
    app, make_badge, auth, client, runner, monkeypatch
):
    """Upgrading across record snapshots: old rows get the person as now; verify-log stays OK."""
    from sqlalchemy import select

    from gangway.db.models import Movement, Refusal

    _records_before_snapshots(app, make_badge, auth, client, monkeypatch)
    result = runner.invoke(args=["init-db"])  # upgrades across them
    assert result.exit_code == 0, result.output
    assert "person copies of movement rows: 1, refusal rows: 1" in result.output
    with app.app_context():
        copies = [
            (r.person_family_name, r.person_given_names, r.person_kind, r.person_company)
            for model in (Movement, Refusal)
            for r in db.session.scalars(select(model))
        ]
    assert copies == [("HANSEN", "Erik", "crew", None)] * 2  # the person as now
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.begin() as conn:  # the copy is on the record now
        conn.execute(text("UPDATE movement SET person_family_name = 'SMITH'"))
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert "(movement.copy_added)" in result.output


def test_a_record_edited_before_the_snapshot_upgrade_gets_no_new_entry(
    app, make_badge, auth, client, runner, monkeypatch
):
    """The upgrade's entries must not vouch for an edit made before it: it stays a finding."""
    edit = "UPDATE movement SET direction = 'depart'"
    _records_before_snapshots(app, make_badge, auth, client, monkeypatch, tamper=edit)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "person copies of refusal rows: 1." in result.output
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert "movement 1 was changed after chain entry" in result.output
    assert "(movement.recorded)" in result.output
