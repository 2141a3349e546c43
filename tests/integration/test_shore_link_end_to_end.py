"""Ship to shore with real processes (issue 17): a ship on SQLite, the shore on PostgreSQL served
over HTTP, the sender in its own process where a kill is the point. Nothing lost, nothing twice,
every divergence caught."""

from __future__ import annotations

import os
import signal

import pytest
from sqlalchemy import select

from gangway.db.models import ShoreQuarantine, ShoreShip
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.shore_link.batches import build_batch
from tests.conftest import dispose
from tests.integration.test_serve import free_port
from tests.support.job_workers import wait_for
from tests.support.shore import shore_app
from tests.support.shore_link import (
    BATCH,
    acked_seq,
    add_records,
    chain_head_of,
    chain_of,
    cli,
    fleet_ship,
    imo_of,
    last_error,
    link_to,
    post_batch,
    rewrite_chain_from_person,
    sender_process,
    served,
    shore_entries,
    shore_head,
)

pytestmark = pytest.mark.shore


@pytest.fixture(scope="module")
def shore(tmp_path_factory):
    """The shore app on the test PostgreSQL database; each test adds a ship of its own."""
    app = shore_app(tmp_path_factory.mktemp("shore"))
    yield app
    dispose(app)


@pytest.fixture
def ship(tmp_path, shore):
    """A ship on its own SQLite database, added to the fleet ashore under a fresh IMO number."""
    app = fleet_ship(tmp_path, shore)
    yield app
    dispose(app)


def test_a_ship_catches_up_in_batches_and_the_shore_holds_its_chain_exactly_once(ship, shore):
    add_records(ship)
    with served(shore, free_port()) as url:
        link_to(ship, url)
        sent = cli(ship, "shore-link", "run", "--once")
        assert sent.exit_code == 0, sent.output
        assert shore_head(url, ship.shore_token)["seq"] == chain_head_of(ship)[0]
    chain = chain_of(ship)
    assert f"Caught up: sent {len(chain)} entries" in sent.output
    assert shore_entries(shore, imo_of(ship)) == chain
    status = cli(ship, "shore-link", "status").output
    assert "Waiting to be sent: 0 entries" in status
    assert f"Acknowledged head: #{chain[-1][0]} sha256:{chain[-1][1]}" in status
    assert "Last contact: never" not in status
    assert cli(ship, "verify-log").exit_code == 0


def test_the_same_batch_sent_twice_is_held_once(ship, shore):
    add_records(ship, people=1)
    with ship.app_context():
        body = build_batch(db.session, after=0, now=utcnow(), limit=BATCH).body
        db.session.remove()
    with served(shore, free_port()) as url:
        first = post_batch(url, ship.shore_token, body)
        second = post_batch(url, ship.shore_token, body)
    assert first == (200, {"head": first[1]["head"], "accepted": BATCH, "already_held": 0})
    assert second == (200, {"head": first[1]["head"], "accepted": 0, "already_held": BATCH})
    assert shore_entries(shore, imo_of(ship)) == chain_of(ship)[:BATCH]


def test_the_sender_waits_out_the_shore_down_and_resumes_from_its_head_after_a_kill(
    ship, shore, tmp_path
):
    """The sender in its own process, as serve's supervisor runs it: the shore is down at
    first, then comes back; the sender is SIGKILLed between the shore's answer and its own
    write of the head, and the next sender goes on from the head the shore reports."""
    add_records(ship)
    port, hold = free_port(), tmp_path / "hold"
    hold.touch()  # the sender waits after the shore's answer, before it keeps the head
    link_to(ship, f"http://127.0.0.1:{port}")  # nothing answers there yet
    with sender_process(ship, SHORE_LINK_HOLD=hold) as sender:
        wait_for(lambda: "could not be reached" in (last_error(ship) or ""), "a failed try")
        with served(shore, port) as url:
            wait_for(lambda: shore_head(url, ship.shore_token)["seq"] == BATCH, "a batch ashore")
            assert acked_seq(ship) == 0  # ashore, not yet acknowledged on board
            os.kill(sender.processes[0].pid, signal.SIGKILL)
            sender.stop()  # no restart: the next sender is the one below
            hold.unlink()
            again = cli(ship, "shore-link", "run", "--once")
    chain = chain_of(ship)
    assert f"Caught up: sent {len(chain) - BATCH} entries" in again.output  # none twice
    assert shore_entries(shore, imo_of(ship)) == chain  # nothing lost
    assert acked_seq(ship) == chain[-1][0]
    assert last_error(ship) is None


def test_a_chain_rewritten_on_board_is_refused_ashore_and_caught_by_verify_log(ship, shore):
    add_records(ship, people=2)
    with served(shore, free_port()) as url:
        link_to(ship, url)
        assert cli(ship, "shore-link", "run", "--once").exit_code == 0
        held = chain_head_of(ship)[0]
        rewrite_chain_from_person(ship)
        add_records(ship, people=1)  # the next records, on top of the rewritten chain
        refused = cli(ship, "shore-link", "run", "--once")
        ashore = shore_head(url, ship.shore_token)
    assert refused.exit_code == 1
    assert f"Chain diverged at #{held}" in refused.output
    assert f"CHAIN DIVERGED at #{held}" in cli(ship, "shore-link", "status").output
    assert (ashore["chain_status"], ashore["diverged_at"], ashore["seq"]) == (
        "diverged",
        held,
        held,
    )
    with shore.app_context():  # the refused batch is kept aside ashore as evidence
        kept = db.session.scalars(
            select(ShoreQuarantine.reason)
            .join(ShoreShip, ShoreShip.id == ShoreQuarantine.ship_id)
            .where(ShoreShip.imo == imo_of(ship))
        ).all()
        db.session.remove()
    assert kept == ["held_differs"]
    verified = cli(ship, "verify-log")
    assert verified.exit_code == 1
    codes = {line.split("]")[0] for line in verified.output.split("[")[1:]}
    assert codes == {"shore_head_differs"}  # the rewrite is whole: only the copy ashore shows it
    assert f"differs from the copy ashore at #{held}" in verified.output
