"""Ship to shore with real processes (issue 17): a ship on SQLite, the shore on PostgreSQL served
over HTTP, the sender in its own process where a kill is the point. Nothing lost, nothing twice,
every divergence caught."""

from __future__ import annotations

import json
import os
import signal
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text
from werkzeug.serving import make_server

from gangway.background.supervisor import Workers
from gangway.cli.serve import SENDER
from gangway.db.models import AuditEntry, Ship, User
from gangway.db.types import utcnow
from gangway.domain.records.audit_chain import entry_hash
from gangway.extensions import db
from gangway.services.shore_link.batches import build_batch
from gangway.services.shore_link.settings import link_row
from tests.conftest import FAST_HASH, build_app, dispose
from tests.integration.test_serve import free_port
from tests.job_workers import wait_for
from tests.support.live_server import buffered
from tests.support.shore import add_test_ship, shore_app

pytestmark = pytest.mark.shore
BATCH = 4  # entries per batch here, so that a chain of ~20 goes in several


@pytest.fixture(scope="module")
def shore(tmp_path_factory):
    """The shore app on the test PostgreSQL database; each test adds a ship of its own."""
    app = shore_app(tmp_path_factory.mktemp("shore"))
    yield app
    dispose(app)


@contextmanager
def served(app, port: int):
    """Serve the shore on a fixed port (so that it can go down and come back on it)."""
    server = make_server("127.0.0.1", port, buffered(app), threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def ship(tmp_path, shore):
    """A ship on its own SQLite database, added to the fleet ashore under a fresh IMO number."""
    imo, token = add_test_ship(shore)
    app = build_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'ship.sqlite'}")
    app.config["SHORE_LINK_BATCH"] = BATCH
    with app.app_context():
        db.session.scalars(select(Ship)).one().imo_number = imo  # chained, as on board
        db.session.commit()
    app.shore_token = token
    yield app
    dispose(app)


def _records(app, people: int = 3) -> None:
    """Crew register, get badges and board through the scan page: a chain of ~20 entries."""
    from gangway.db.models import Person
    from gangway.keys import KEY_ID, signing_key
    from gangway.services.accounts.accounts import create_user
    from gangway.services.people.badges import issue_badge
    from tests.conftest import NOW, PASSWORD

    codes = []
    with app.app_context():
        if db.session.scalar(select(User.id).limit(1)) is None:
            create_user(db.session, "watch", "watch", PASSWORD, "Watch", hash_method=FAST_HASH)
        for i in range(people):
            person = Person(kind="crew", family_name=f"CREW{i}", given_names="Ann")
            db.session.add(person)
            db.session.flush()
            badge = issue_badge(
                db.session, person, valid_from=NOW, valid_until=NOW.replace(year=NOW.year + 1),
                private_key=signing_key(), key_id=KEY_ID, now=NOW,
            )  # fmt: skip
            codes.append(badge.code)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "watch", "password": PASSWORD})
    client.post("/watch/access-point", data={"access_point": "MAIN-GW"})
    for code in codes:
        assert client.post("/watch/scan", data={"code": code, "direction": "board"}).status_code
    client.post("/logout")


def _head(app) -> tuple[int, str]:
    with app.app_context():
        row = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).one()
        db.session.remove()
        return tuple(row)


def _acked(app) -> int:
    with app.app_context():
        row = link_row(db.session)
        seq = row.acked_seq if row else 0
        db.session.remove()
        return seq


def _shore_head(url: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{url}/api/v1/shore/head", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _post(url: str, token: str, body: bytes) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip"}  # fmt: skip
    request = urllib.request.Request(f"{url}/api/v1/shore/batches", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _link(app, url: str):
    done = _cli(app, "shore-link", "set", url, app.shore_token, "--insecure")
    assert done.exit_code == 0, done.output


@contextmanager
def sender_process(app, **config):
    """The sender in its own process, kept running by serve's supervisor (a killed one is
    started again), on the ship's database."""
    env = {
        "GANGWAY_TESTING": "true",
        "GANGWAY_SECRET_KEY": app.config["SECRET_KEY"],
        "GANGWAY_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "GANGWAY_SHORE_LINK_BATCH": str(BATCH),
        "GANGWAY_SHORE_LINK_INTERVAL": "0.2",
        "GANGWAY_SHORE_LINK_BACKOFF_FIRST": "0.2",
        "GANGWAY_SHORE_LINK_BACKOFF_MAX": "0.4",
        **{f"GANGWAY_{k}": str(v) for k, v in config.items()},
    }
    workers = Workers(app, env=env, module=SENDER).start()
    try:
        yield workers
    finally:
        workers.stop()


def _shore_entries(shore, imo: str) -> list[tuple[int, str]]:
    from gangway.db.models import ShoreEntry, ShoreShip

    with shore.app_context():
        ship_id = db.session.scalar(select(ShoreShip.id).where(ShoreShip.imo == imo))
        rows = db.session.execute(
            select(ShoreEntry.seq, ShoreEntry.entry_hash)
            .where(ShoreEntry.ship_id == ship_id)
            .order_by(ShoreEntry.seq)
        ).all()
        db.session.remove()
        return [tuple(r) for r in rows]


def _chain(app) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq)
        ).all()
        db.session.remove()
        return [tuple(r) for r in rows]


def _imo(app) -> str:
    with app.app_context():
        imo = db.session.scalars(select(Ship.imo_number)).one()
        db.session.remove()
        return imo


def test_a_ship_catches_up_in_batches_and_the_shore_holds_its_chain_exactly_once(ship, shore):
    _records(ship)
    with served(shore, free_port()) as url:
        _link(ship, url)
        sent = _cli(ship, "shore-link", "run", "--once")
        assert sent.exit_code == 0, sent.output
        assert _shore_head(url, ship.shore_token)["seq"] == _head(ship)[0]
    chain = _chain(ship)
    assert f"Caught up: sent {len(chain)} entries" in sent.output
    assert _shore_entries(shore, _imo(ship)) == chain
    status = _cli(ship, "shore-link", "status").output
    assert "Waiting to be sent: 0 entries" in status
    assert f"Acknowledged head: #{chain[-1][0]} sha256:{chain[-1][1]}" in status
    assert "Last contact: never" not in status
    assert _cli(ship, "verify-log").exit_code == 0


def test_the_same_batch_sent_twice_is_held_once(ship, shore):
    _records(ship, people=1)
    with ship.app_context():
        body = build_batch(db.session, after=0, now=utcnow(), limit=BATCH).body
        db.session.remove()
    with served(shore, free_port()) as url:
        first = _post(url, ship.shore_token, body)
        second = _post(url, ship.shore_token, body)
    assert first == (200, {"head": first[1]["head"], "accepted": BATCH, "already_held": 0})
    assert second == (200, {"head": first[1]["head"], "accepted": 0, "already_held": BATCH})
    assert _shore_entries(shore, _imo(ship)) == _chain(ship)[:BATCH]


def test_the_sender_waits_out_the_shore_down_and_resumes_from_its_head_after_a_kill(
    ship, shore, tmp_path
):
    """The sender in its own process, as serve's supervisor runs it: the shore is down at
    first, then comes back; the sender is SIGKILLed between the shore's answer and its own
    write of the head, and the next sender goes on from the head the shore reports."""
    _records(ship)
    port, hold = free_port(), tmp_path / "hold"
    hold.touch()  # the sender waits after the shore's answer, before it keeps the head
    _link(ship, f"http://127.0.0.1:{port}")  # nothing answers there yet
    with sender_process(ship, SHORE_LINK_HOLD=hold) as sender:
        wait_for(lambda: "could not be reached" in (_status_error(ship) or ""), "a failed try")
        with served(shore, port) as url:
            wait_for(lambda: _shore_head(url, ship.shore_token)["seq"] == BATCH, "a batch ashore")
            assert _acked(ship) == 0  # ashore, not yet acknowledged on board
            os.kill(sender.processes[0].pid, signal.SIGKILL)
            sender.stop()  # no restart: the next sender is the one below
            hold.unlink()
            again = _cli(ship, "shore-link", "run", "--once")
    chain = _chain(ship)
    assert f"Caught up: sent {len(chain) - BATCH} entries" in again.output  # none twice
    assert _shore_entries(shore, _imo(ship)) == chain  # nothing lost
    assert _acked(ship) == chain[-1][0]
    assert _status_error(ship) is None


def _status_error(app) -> str | None:
    with app.app_context():
        row = link_row(db.session)
        error = row.last_error if row else None
        db.session.remove()
        return error


def _rewrite_chain_from_person(app) -> int:
    """Rename the first crew member in place and recompute the chain from their entry on, as
    someone with write access and the algorithm could: verify-log alone sees nothing."""
    from gangway.services.audit.content import chained_fields, content_digest, row_content

    with app.app_context(), db.engine.begin() as conn:
        person = db.metadata.tables["person"]
        first = conn.execute(select(person).order_by(person.c.id).limit(1)).one()
        conn.execute(person.update().where(person.c.id == first.id).values(given_names="Eve"))
        changed = conn.execute(select(person).where(person.c.id == first.id)).one()
        new_digest = content_digest(row_content(person, changed), chained_fields("person"))
        start = conn.scalar(
            select(AuditEntry.seq).where(
                AuditEntry.record_table == "person", AuditEntry.record_id == first.id
            ).order_by(AuditEntry.seq.desc()).limit(1)
        )  # fmt: skip
        rows = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.seq >= start).order_by(AuditEntry.seq)
        ).all()
        prev = rows[0].prev_hash
        for r in rows:
            value = new_digest if r.seq == start else r.digest
            new = entry_hash(prev, r.seq, r.kind, r.record_table, r.record_id, value,
                             r.recorded_at)  # fmt: skip
            conn.execute(
                text("UPDATE audit_entry SET digest = :d, prev_hash = :p, entry_hash = :h "
                     "WHERE seq = :s"),
                {"d": value, "p": prev, "h": new, "s": r.seq},
            )  # fmt: skip
            prev = new
    dispose(app)
    return start


def test_a_chain_rewritten_on_board_is_refused_ashore_and_caught_by_verify_log(ship, shore):
    from gangway.db.models import ShoreQuarantine

    _records(ship, people=2)
    with served(shore, free_port()) as url:
        _link(ship, url)
        assert _cli(ship, "shore-link", "run", "--once").exit_code == 0
        held = _head(ship)[0]
        _rewrite_chain_from_person(ship)
        _records(ship, people=1)  # the next records, on top of the rewritten chain
        refused = _cli(ship, "shore-link", "run", "--once")
        ashore = _shore_head(url, ship.shore_token)
    assert refused.exit_code == 1
    assert f"Chain diverged at #{held}" in refused.output
    assert f"CHAIN DIVERGED at #{held}" in _cli(ship, "shore-link", "status").output
    assert (ashore["chain_status"], ashore["diverged_at"], ashore["seq"]) == (
        "diverged",
        held,
        held,
    )
    with shore.app_context():
        assert db.session.scalar(select(db.func.count(ShoreQuarantine.id))) >= 1
        db.session.remove()
    verified = _cli(ship, "verify-log")
    assert verified.exit_code == 1
    codes = {line.split("]")[0] for line in verified.output.split("[")[1:]}
    assert codes == {"shore_head_differs"}  # the rewrite is whole: only the copy ashore shows it
    assert f"differs from the copy ashore at #{held}" in verified.output
