"""SQLite writers take turns at a gate instead of in SQLite's busy handler.

SQLite lets one transaction write at a time. A writer that finds the lock taken calls the busy
handler, which sleeps 1, 2, 5, 10 ... 100 ms between retries and is not fair: in a burst of
scans, writers that came later take the lock while one that came first sleeps again. With 16
tablets scanning at once against `gangway serve` (2 workers x 8 threads) on a busy 2-core
machine, the slowest scans took 4.2 s and 9.4 s, a breath from the 10 s busy timeout and its
"database is locked". So a writer first waits at a gate: a lock per database file in each
process (threads wake as soon as it is free), then an flock(2) on `<db>-writelock` across
processes (polled every 0.2 ms by one waiter per process); SQLite's own lock is then free. The
same test: slowest scans 1.3 s and 1.8 s (the machine, not the lock), same throughput.

The gate is taken just before the first INSERT/UPDATE/DELETE of a transaction (where Python's
sqlite3 module opens the transaction, so reads before it hold no lock) and given back when that
transaction commits or rolls back. A writer never waits at the gate longer than SQLite's busy
timeout: after that it goes on to SQLite's lock as before, which then decides (and a thread that
already holds the gate through another connection goes straight to SQLite's lock too).
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import threading
import time
import weakref
from contextlib import suppress

from sqlalchemy.engine import Engine

from gangway.db.listeners import listen_once

BUSY_TIMEOUT_S = 10.0
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_POLL_S = 0.0002


class WriteGate:
    """One writer at a time for a database file: a thread lock in-process, flock across."""

    def __init__(self, lock_path: str):
        self.lock_path, self.lock = lock_path, threading.Lock()
        self.owner: int | None = None
        self.fd: int | None = None  # open only while held: a test run opens thousands of gates

    def acquire(self, timeout: float) -> bool:
        """Wait for the gate; return False (not holding it) if that would deadlock or time out."""
        me = threading.get_ident()
        if self.owner == me:  # this thread writes through another connection already
            return False
        deadline = time.monotonic() + timeout
        if not self.lock.acquire(timeout=timeout):
            return False
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # no lock file (read-only folder, no descriptors): SQLite's lock decides
            self.lock.release()
            return False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    self.lock.release()
                    return False
                time.sleep(_POLL_S)
        self.owner, self.fd = me, fd
        return True

    def release(self) -> None:
        fd, self.owner, self.fd = self.fd, None, None
        os.close(fd)  # closing drops the flock
        self.lock.release()


_gates: weakref.WeakValueDictionary[tuple[int, str], WriteGate] = weakref.WeakValueDictionary()
_gates_lock = threading.Lock()


def gate_for(db_path: str) -> WriteGate:
    """Return this process's gate for a database file (a forked worker makes its own); it lives
    as long as a connection to the file does."""
    key = (os.getpid(), db_path)
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = WriteGate(f"{db_path}-writelock")
        return gate


class GatedConnection(sqlite3.Connection):
    """A sqlite3 connection that holds the gate while its write transaction is open."""

    gate: WriteGate | None = None
    holds_gate = False

    def begin_write(self) -> None:
        if self.gate and not self.holds_gate and not self.in_transaction:
            self.holds_gate = self.gate.acquire(BUSY_TIMEOUT_S)

    def end_write(self) -> None:
        """Give the gate back once no transaction is open (committed, rolled back, or none)."""
        if self.holds_gate and not self.in_transaction:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_write()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_write()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holds_gate:
                self.holds_gate = False
                self.gate.release()


def _use_gated_connections(dialect, conn_rec, cargs, cparams):
    """Open SQLite connections as GatedConnection (the gate itself is attached on connect)."""
    if dialect.name == "sqlite" and "factory" not in cparams:
        cparams["factory"] = GatedConnection


def register_listeners() -> None:
    """Open SQLite connections gated and take the gate around writes (create_app calls it)."""
    listen_once(Engine, "do_connect", _use_gated_connections)
    listen_once(Engine, "before_cursor_execute", _wait_at_gate)
    listen_once(Engine, "after_cursor_execute", _leave_gate_if_no_transaction)
    listen_once(Engine, "handle_error", _leave_gate_after_error)


def attach_gate(dbapi_connection) -> None:
    """Give a file database's connection its gate (in-memory databases have one connection)."""
    if not isinstance(dbapi_connection, GatedConnection):
        return
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    path = next((r[2] for r in rows if r[1] == "main"), "")
    if path:
        dbapi_connection.gate = gate_for(path)


def _wait_at_gate(conn, cursor, statement, parameters, context, executemany):
    dbapi = cursor.connection
    if isinstance(dbapi, GatedConnection) and dbapi.gate and _WRITE.match(statement):
        dbapi.begin_write()


def _leave_gate_if_no_transaction(conn, cursor, statement, parameters, context, executemany):
    dbapi = cursor.connection
    if isinstance(dbapi, GatedConnection):
        dbapi.end_write()


def _leave_gate_after_error(context):
    cursor = getattr(context.execution_context, "cursor", None)
    dbapi = getattr(cursor, "connection", None)
    if isinstance(dbapi, GatedConnection):
        with suppress(sqlite3.ProgrammingError):  # closed: close() gave the gate back already
            dbapi.end_write()
