"""The shore server SIGKILLed mid-batch while a ship's sender sends, then started again (issue 17,
faults): real processes (the shore is `gangway serve` on PostgreSQL, the sender its own process on
the ship's SQLite). Nothing lost, nothing twice: the chain ashore equals the ship's, verified."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from gangway.db.models import ShoreQuarantine, ShoreShip
from gangway.extensions import db
from tests.conftest import dispose, postgres_url
from tests.integration.test_serve import free_port
from tests.support.job_workers import wait_for
from tests.support.shore import shore_app
from tests.support.shore_link import (
    BATCH,
    acked_seq,
    add_records,
    chain_of,
    cli,
    fleet_ship,
    imo_of,
    link_to,
    sender_process,
    shore_entries,
)
from tests.support.shore_server import ShoreServer, shore_env

pytestmark = pytest.mark.shore
STUCK_AT = 2 * BATCH - 1  # the second batch's third entry: two of its rows are written by then

WAITING_INSERT = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO shore_entry%'"
)


@pytest.fixture
def shore(tmp_path):
    (tmp_path / "shore").mkdir()
    app = shore_app(tmp_path / "shore")
    yield app
    dispose(app)


@pytest.fixture
def ship(tmp_path, shore):
    app = fleet_ship(tmp_path, shore)
    yield app
    dispose(app)


def hold_entry(conn, imo: str, seq: int) -> None:
    """Write entry #seq of the ship in a transaction left open: the shore's insert of the same
    entry waits on it, mid-batch, with the batch's rows before it written."""
    # Without the foreign key's check (the test server's user is a superuser): that check would
    # share-lock the ship's row, and the shore would wait at its SELECT ... FOR UPDATE instead.
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    conn.execute(
        text(
            "INSERT INTO shore_entry (ship_id, seq, kind, digest, prev_hash, entry_hash, "
            "recorded_at, received_at) SELECT id, :seq, 'x', '', '', '', now(), now() "
            "FROM shore_ship WHERE imo = :imo"
        ),
        {"seq": seq, "imo": imo},
    )


def waiting_inserts(engine) -> int:
    """Count the shore's transactions waiting mid-insert (a fresh snapshot of the activity)."""
    with engine.connect() as conn:
        return conn.execute(WAITING_INSERT).scalar()


def test_the_shore_killed_mid_batch_loses_nothing_and_takes_nothing_twice(ship, shore, tmp_path):
    add_records(ship)
    server = ShoreServer(shore_env(postgres_url(), tmp_path / "instance"), free_port())
    link_to(ship, server.url)  # chained itself: the chain is read after
    imo, chain = imo_of(ship), chain_of(ship)
    assert len(chain) > 2 * BATCH
    engine = create_engine(postgres_url())
    blocker = engine.connect()
    try:
        hold_entry(blocker, imo, STUCK_AT)
        with sender_process(ship):  # it starts while the shore does, and waits for it
            server.start()
            wait_for(lambda: waiting_inserts(engine), "the shore's batch stuck mid-insert")
            assert shore_entries(shore, imo) == chain[:BATCH]  # batch 2: not committed
            server.kill()
            blocker.rollback()
            server.start()
            wait_for(lambda: acked_seq(ship) == chain[-1][0], "the ship caught up")
    finally:
        server.kill()
        blocker.close()
        engine.dispose()
    assert shore_entries(shore, imo) == chain  # each entry once, in order, none lost
    with shore.app_context():
        held = db.session.scalars(select(ShoreShip).where(ShoreShip.imo == imo)).one()
        assert (held.head_seq, held.head_hash, held.chain_status) == (*chain[-1], "ok")
        kept = select(ShoreQuarantine.id).where(ShoreQuarantine.ship_id == held.id)
        assert db.session.scalars(kept).all() == []
        db.session.remove()
    verified = shore.test_cli_runner().invoke(args=["shore", "verify", "--imo", imo])
    assert verified.exit_code == 0, verified.output
    assert cli(ship, "verify-log").exit_code == 0
