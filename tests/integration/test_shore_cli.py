"""`gangway shore init | add-ship | ships`: the shore's database and the fleet's ships."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from gangway.db.models import ShoreShip
from gangway.extensions import db
from gangway.services.accounts.accounts import hash_token
from tests.conftest import build_app
from tests.support.shore import add_test_ship, batch, chain, dispose, new_imo, send, shore_app


@pytest.fixture
def shore(tmp_path):
    app = shore_app(tmp_path)
    yield app
    dispose(app)


@pytest.mark.shore
def test_add_ship_prints_the_link_token_once_and_keeps_only_its_hash(shore):
    runner, imo = shore.test_cli_runner(), new_imo()
    result = runner.invoke(
        args=["shore", "add-ship", "--imo", f"IMO {imo}", "--name", "MV  Aurora"]
    )
    assert result.exit_code == 0, result.output
    token = next(w for w in result.output.split() if w.startswith("gws_"))
    with shore.app_context():
        ship = db.session.scalars(select(ShoreShip)).one()
        assert (ship.imo, ship.name, ship.token_hash) == (imo, "MV Aurora", hash_token(token))
    listed = runner.invoke(args=["shore", "ships"]).output
    assert f"{imo}  MV Aurora" in listed
    assert "chain ok" in listed
    assert token not in listed
    again = runner.invoke(args=["shore", "add-ship", "--imo", imo, "--name", "MV Other"])
    assert again.exit_code == 1
    assert f"IMO {imo} is a ship of the fleet already" in again.output


@pytest.mark.shore
def test_add_ship_refuses_a_number_whose_check_digit_is_wrong(shore):
    result = shore.test_cli_runner().invoke(
        args=["shore", "add-ship", "--imo", "9074728", "--name", "MV Typo"]
    )
    assert result.exit_code == 1
    assert "'9074728' is not an IMO number" in result.output
    with shore.app_context():
        assert db.session.scalars(select(ShoreShip)).all() == []


@pytest.mark.shore
def test_shore_init_builds_the_shore_database_on_postgresql(shore):
    with shore.app_context():
        db.drop_all()
    result = shore.test_cli_runner().invoke(args=["shore", "init"])
    assert result.exit_code == 0, result.output
    assert "Database ready: postgresql" in result.output
    with shore.app_context():
        assert db.session.scalars(select(ShoreShip)).all() == []


@pytest.mark.sqlite_only
def test_shore_init_refuses_a_database_that_is_not_postgresql_and_a_ships_instance(tmp_path):
    url = f"sqlite:///{tmp_path / 'shore.sqlite'}"
    shore = build_app(tmp_path, SHORE=True, SQLALCHEMY_DATABASE_URI=url)
    result = shore.test_cli_runner().invoke(args=["shore", "init"])
    assert result.exit_code == 1
    assert "The shore keeps the fleet's records in PostgreSQL, not sqlite" in result.output
    dispose(shore)
    ship = build_app(tmp_path / "ship", SQLALCHEMY_DATABASE_URI=url)
    refused = ship.test_cli_runner().invoke(
        args=["shore", "add-ship", "--imo", "9074729", "--name", "X"]
    )
    assert refused.exit_code == 1
    assert "set GANGWAY_SHORE=1" in refused.output
    dispose(ship)


@pytest.mark.shore
def test_verify_finds_an_entry_or_a_record_edited_in_the_shores_database(shore):
    client, runner = shore.test_client(), shore.test_cli_runner()
    imo, token = add_test_ship(shore, "MV Checked")
    assert send(client, token, batch(imo, chain(5))).status_code == 200
    result = runner.invoke(args=["shore", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{imo}  MV Checked: 5 entries, OK" in result.output
    with shore.app_context():
        edit = "UPDATE shore_entry SET {} WHERE seq = :seq"
        db.session.execute(text(edit.format("kind = 'movement.deleted'")), {"seq": 2})
        db.session.execute(text(edit.format("content = :c")), {"seq": 4, "c": '{"id": 4}'})
        db.session.commit()
    result = runner.invoke(args=["shore", "verify", "--imo", imo])
    assert result.exit_code == 1
    assert "[entry_altered] entry #2 (movement.deleted) was altered" in result.output
    assert "[record_altered] the record of entry #4 (movement.recorded)" in result.output
