"""Who crossed and where are chained too: a person or access point renamed beside the app shows."""

from __future__ import annotations

from functools import partial

from flask_migrate import upgrade
from sqlalchemy import select

from gangway.db.models import AuditEntry, Movement, Person
from gangway.extensions import db
from tests.integration.test_audit_log import _stamp, problems, records, seq_of, sql, verify
from tests.integration.test_imports import CREW_FILE, HANSEN

records = records  # the same fixture here (a boarding and a departure, a refusal, ...)
BEFORE_PEOPLE_CHAINED = "d4d0f0ff1e08"  # the Alembic revision before person was chained
PEOPLE_CHAINED = "d5e0c4a1b209"


def crossed(app) -> tuple[int, int]:
    """Return who made the first movement, and the access point where."""
    with app.app_context():
        first = db.session.scalars(select(Movement).order_by(Movement.id)).first()
        return first.person_id, first.access_point_id


def test_renaming_who_boarded_or_the_gangway_in_the_database_is_named(app, runner, records):
    person, point = crossed(app)
    with app.app_context():  # the scans moved the presence pointer outside the ORM: still OK
        assert db.session.get(Person, person).aboard_movement_id is None  # boarded, then left
    verify(runner, ok=True)
    sql(app, "UPDATE person SET family_name = 'SMITH' WHERE id = :i", i=person)
    sql(app, "UPDATE access_point SET name = 'Aft ladder' WHERE id = :i", i=point)
    assert problems(verify(runner)) == [
        (
            "row_altered",
            f"person {person} was changed after chain entry "
            f"#{seq_of(app, 'person', person)} (person.registered)",
        ),
        (
            "row_altered",
            f"access_point {point} was changed after chain entry "
            f"#{seq_of(app, 'access_point', point)} (access_point.added)",
        ),
    ]


def test_crew_lists_imported_and_updated_verify(app, client, auth, runner):
    auth.login("sso")
    for text in (CREW_FILE, CREW_FILE.replace(HANSEN, HANSEN.replace("Master", "Chief Mate"))):
        response = client.post("/api/v1/imports/crew", data=text, content_type="text/csv")
        assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        kinds = db.session.scalars(
            select(AuditEntry.kind).where(AuditEntry.record_table == "person")
        ).all()
    assert sorted(kinds) == ["person.changed", *["person.registered"] * 3]
    verify(runner, ok=True)


def add_unchained(app, family_name: str) -> None:
    """A person written as an older version did: no chain entry."""
    sql(app, "INSERT INTO person (kind, family_name, given_names, is_responder, is_enabled, "
        "created_at) VALUES ('crew', :f, 'Jo', false, true, '2026-01-01 00:00:00.000000')",
        f=family_name)  # fmt: skip


def test_init_db_adopts_persons_once_when_its_upgrade_starts_chaining_them(
    app, runner, monkeypatch
):
    add_unchained(app, "OLDCREW")  # on board before the upgrade
    _stamp(app, BEFORE_PEOPLE_CHAINED)
    # Up to the version that chained persons: the test schema (create_all) has the later tables.
    monkeypatch.setattr("gangway.cli.upgrade", partial(upgrade, revision=PEOPLE_CHAINED))
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Audit chain extended: adopted person rows: 1." in result.output
    verify(runner, ok=True)
    add_unchained(app, "SLIPPEDIN")  # beside the app, after the upgrade
    assert runner.invoke(args=["init-db"]).exit_code == 0  # every start runs it: no adoption
    [(code, message)] = problems(verify(runner))
    assert (code, message.split()[0]) == ("row_unchained", "person")
