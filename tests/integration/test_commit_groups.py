"""Group commit on SQLite: writers that arrive together share a transaction, not their failures."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from gangway.db.commit_groups import CommitGroup, group_for
from gangway.extensions import db


@pytest.fixture
def engine(app):
    with app.app_context():
        yield db.engine


@pytest.fixture
def sqlite_engine(app, tmp_path):
    """A SQLite file of its own: the group is SQLite's, whichever database the suite runs on
    (the app's engine hooks give it WAL, full sync and the write gate, as in production)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'group.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield engine
    engine.dispose()


@pytest.fixture
def group(sqlite_engine):
    return CommitGroup(sqlite_engine)


def insert(*values: str):
    """Return a write of these rows, one after the other (a duplicate fails there)."""

    def work(conn):
        for value in values:
            conn.connection.dbapi_connection.execute("INSERT INTO t (v) VALUES (?)", (value,))
        return values[0]

    return work


def stored(engine) -> list[str]:
    with engine.connect() as conn:
        return [v for (v,) in conn.execute(text("SELECT v FROM t ORDER BY id"))]


@pytest.mark.sqlite_only  # its own SQLite file, whatever the test database
def test_writers_queued_behind_a_leader_are_written_together_and_fail_alone(group, sqlite_engine):
    def leader_work(conn):  # hold the lead until three more writers queue behind it
        deadline = time.monotonic() + 10
        while len(group.waiting) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        return insert("a")(conn)

    results: dict[str, object] = {}

    def run(name, work):
        try:
            results[name] = group.run(work)
        except Exception as exc:  # noqa: BLE001  (the test reads what each writer got)
            results[name] = exc

    leader = threading.Thread(target=run, args=("a", leader_work))
    leader.start()
    while not group.leading:
        time.sleep(0.001)
    others = [
        threading.Thread(target=run, args=(name, insert(*value)))
        for name, value in (("b", ("b",)), ("c then b", ("c", "b")), ("d", ("d",)))
    ]
    for t in others:
        t.start()
        time.sleep(0.01)  # in this order in the queue
    for t in [leader, *others]:
        t.join(timeout=20)
    assert [results[k] for k in ("a", "b", "d")] == ["a", "b", "d"]
    assert isinstance(results["c then b"], sqlite3.IntegrityError)
    assert stored(sqlite_engine) == ["a", "b", "d"]  # the failed write took back its own "c" only


def test_a_file_database_gets_a_group_per_process(engine):
    expected = engine.dialect.name == "sqlite"
    assert (group_for(engine) is not None) is expected
    assert group_for(engine) is group_for(engine)
