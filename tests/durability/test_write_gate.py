"""SQLite writers queue at the gate (gangway/db/sqlite_writers.py), never in SQLite's busy handler.

Behaviour that matters: a second writer waits and then writes as soon as the first commits, a
failed or rolled-back write gives the gate back, a writer in another process (another server
worker) holds it for this one, and a thread never deadlocks on its own gate.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from gangway import register_listeners
from gangway.db.sqlite_writers import GatedConnection

register_listeners()  # the engine hooks, as create_app registers them


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'g.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"))
    yield engine
    engine.dispose()


def dbapi(conn) -> GatedConnection:
    return conn.connection.dbapi_connection


def test_a_second_writer_waits_at_the_gate_and_writes_once_the_first_commits(engine):
    first = engine.connect()
    first.execute(text("INSERT INTO t (v) VALUES ('first')"))
    gate = dbapi(first).gate
    assert gate.owner == threading.get_ident()
    done = threading.Event()

    def second_writer():
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (v) VALUES ('second')"))
        done.set()

    writer = threading.Thread(target=second_writer)
    writer.start()
    assert not done.wait(0.3)  # queued behind the open transaction
    first.commit()
    assert done.wait(5)
    writer.join()
    first.close()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t ORDER BY id")).scalars().all() == [
            "first",
            "second",
        ]
    assert gate.owner is None


def test_a_failed_write_gives_the_gate_back_when_rolled_back(engine):
    with engine.connect() as conn:
        with pytest.raises(IntegrityError):
            conn.execute(text("INSERT INTO t (v) VALUES (NULL)"))
        conn.rollback()
        assert dbapi(conn).holds_gate is False
        gate = dbapi(conn).gate
    assert gate.owner is None
    assert gate.acquire(timeout=0.1)
    gate.release()


def test_a_writer_in_another_process_holds_the_gate_for_this_one(engine):
    with engine.connect() as conn:
        gate = dbapi(conn).gate
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()",
            gate.lock_path,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert gate.acquire(timeout=0.2) is False  # waited its time, then let SQLite decide
        assert time.monotonic() - started >= 0.2
        assert not gate.lock.locked()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()
    assert gate.acquire(timeout=5)
    gate.release()


def test_a_thread_holding_the_gate_is_not_deadlocked_by_it_through_a_second_connection(engine):
    with engine.connect() as first:
        first.execute(text("INSERT INTO t (v) VALUES ('a')"))
        gate = dbapi(first).gate
        started = time.monotonic()
        assert gate.acquire(timeout=5) is False  # at once: the owner goes on to SQLite's lock
        assert time.monotonic() - started < 1
        first.commit()
    assert gate.owner is None
