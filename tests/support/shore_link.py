"""The ship's side of the link in end-to-end tests: a ship's records, the shore served over real
HTTP on a chosen port, the sender in its own process as serve's supervisor runs it."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

from sqlalchemy import select, text
from werkzeug.serving import make_server

from gangway.background.supervisor import Workers
from gangway.cli.serve import SENDER
from gangway.db.models import AuditEntry, Ship, User
from gangway.domain.records.audit_chain import entry_hash
from gangway.extensions import db
from gangway.services.shore_link.settings import link_row
from tests.conftest import FAST_HASH, build_app, dispose
from tests.support.live_server import buffered
from tests.support.shore import add_test_ship

BATCH = 4  # entries per batch in these tests, so that a chain of ~20 goes in several


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


def fleet_ship(tmp_path, shore, name: str = "MV Shore Test", batch: int | None = BATCH):
    """Build a ship on its own SQLite database, added to the fleet ashore under a fresh IMO number
    (its link token in `app.shore_token`, `batch` entries a batch); the caller disposes of it."""
    imo, token = add_test_ship(shore, name)
    app = build_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'ship.sqlite'}")
    if batch is not None:
        app.config["SHORE_LINK_BATCH"] = batch
    with app.app_context():
        db.session.scalars(select(Ship)).one().imo_number = imo  # chained, as on board
        db.session.commit()
    app.shore_token = token
    return app


def badge_code(session, person) -> str:
    """Add the person and issue them a year's signed badge (not committed); return its code."""
    from gangway.keys import KEY_ID, signing_key
    from gangway.services.people.badges import issue_badge
    from tests.conftest import NOW

    session.add(person)
    session.flush()
    badge = issue_badge(
        session, person, valid_from=NOW, valid_until=NOW.replace(year=NOW.year + 1),
        private_key=signing_key(), key_id=KEY_ID, now=NOW,
    )  # fmt: skip
    return badge.code


def add_records(app, people: int = 3) -> None:
    """Crew register, get badges and board through the scan page: a chain of ~20 entries."""
    from gangway.db.models import Person
    from gangway.services.accounts.accounts import create_user
    from tests.conftest import PASSWORD

    with app.app_context():
        if db.session.scalar(select(User.id).limit(1)) is None:
            create_user(db.session, "watch", "watch", PASSWORD, "Watch", hash_method=FAST_HASH)
        codes = [
            badge_code(db.session, Person(kind="crew", family_name=f"CREW{i}", given_names="Ann"))
            for i in range(people)
        ]
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "watch", "password": PASSWORD})
    client.post("/watch/access-point", data={"access_point": "MAIN-GW"})
    for code in codes:
        assert client.post("/watch/scan", data={"code": code, "direction": "board"}).status_code
    client.post("/logout")


def chain_head_of(app) -> tuple[int, str]:
    with app.app_context():
        row = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).one()
        db.session.remove()
        return tuple(row)


def acked_seq(app) -> int:
    with app.app_context():
        row = link_row(db.session)
        seq = row.acked_seq if row else 0
        db.session.remove()
        return seq


def shore_head(url: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{url}/api/v1/shore/head", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def post_batch(url: str, token: str, body: bytes) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip"}  # fmt: skip
    request = urllib.request.Request(f"{url}/api/v1/shore/batches", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def link_to(app, url: str):
    done = cli(app, "shore-link", "set", url, app.shore_token, "--insecure")
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


def shore_entries(shore, imo: str) -> list[tuple[int, str]]:
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


def chain_of(app) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq)
        ).all()
        db.session.remove()
        return [tuple(r) for r in rows]


def imo_of(app) -> str:
    with app.app_context():
        imo = db.session.scalars(select(Ship.imo_number)).one()
        db.session.remove()
        return imo


def last_error(app) -> str | None:
    with app.app_context():
        row = link_row(db.session)
        error = row.last_error if row else None
        db.session.remove()
        return error


def rewrite_chain_from_person(app) -> int:
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
