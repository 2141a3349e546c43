"""Group commit: scans arriving together on SQLite share one transaction and one fsync.

SQLite lets one transaction write at a time, and with synchronous=FULL each commit writes its
pages to the WAL and syncs it: ~0.4 ms of CPU and a disk flush per scan, while the other
scans wait at the write gate. So the writes of one process go through a group: the first
writer to arrive leads; the writers that arrive while it writes queue behind it, and the next
leader writes all of them in one transaction, each in its own savepoint (one failing, say on a
duplicate idempotency key, takes back only its own rows), then commits once. Nobody gets an
answer before the commit that holds their record has returned, so what was acknowledged is
on disk as before; only the disk flushes are shared.

PostgreSQL (and in-memory SQLite) write on the request's own session, one commit each.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from gangway.db.sqlite_writers import GatedConnection

T = TypeVar("T")


class _Item:
    __slots__ = ("work", "result", "error", "done")

    def __init__(self, work: Callable[[Connection], object]):
        self.work, self.result, self.error, self.done = work, None, None, False


class CommitGroup:
    """The writers of one process to one SQLite file; one leader writes for all waiting."""

    def __init__(self, engine: Engine):
        self.engine = weakref.ref(engine)  # the group must not keep a disposed engine alive
        self.cond = threading.Condition()
        self.waiting: list[_Item] = []
        self.leading = False

    def run(self, work: Callable[[Connection], T]) -> T:
        item = _Item(work)
        with self.cond:
            self.waiting.append(item)
            while self.leading and not item.done:
                self.cond.wait()
            if not item.done:
                self.leading = True
                batch, self.waiting = self.waiting, []
        if not item.done:
            try:
                self._write(batch)
            finally:
                with self.cond:
                    self.leading = False
                    self.cond.notify_all()
        if item.error is not None:
            raise item.error
        return item.result

    def _write(self, batch: list[_Item]) -> None:
        """Write every item in one transaction, each in a savepoint; commit once."""
        try:
            with self.engine().connect() as conn:  # from the pool: ~20 us, once per batch
                dbapi = conn.connection.dbapi_connection
                if isinstance(dbapi, GatedConnection) and dbapi.gate:
                    dbapi.begin_write()  # other processes' writers: wait at the gate
                run = dbapi.execute  # on the driver: through SQLAlchemy these cost more than SQLite
                try:
                    run("BEGIN IMMEDIATE")
                    for item in batch:
                        run("SAVEPOINT scan")
                        try:
                            item.result = item.work(conn)
                        except Exception as exc:  # this item's own failure: undo its rows only
                            run("ROLLBACK TO scan")
                            item.error = exc
                        run("RELEASE scan")
                    dbapi.commit()  # on the driver, as the BEGIN was (the gate goes with it)
                except BaseException:
                    dbapi.rollback()  # nothing of this transaction was stored
                    raise
                if conn.in_transaction():  # a Core statement in a work item began one at its level
                    conn.commit()
        except Exception as exc:
            for item in batch:
                item.error = item.error or exc
        finally:
            for item in batch:
                item.done = True


_groups: weakref.WeakKeyDictionary[Engine, tuple[int, CommitGroup]] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def group_for(engine: Engine) -> CommitGroup | None:
    """Return this process's group for a SQLite file database; None for any other database."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    with _groups_lock:
        pid, group = _groups.get(engine, (None, None))
        if pid != os.getpid():  # a forked worker: the parent's connection is not ours
            group = CommitGroup(engine)
            _groups[engine] = (os.getpid(), group)
        return group


def write_and_commit(session: Session, work: Callable[[Connection], T]) -> T:
    """Run `work(connection)` in a transaction and commit it; on SQLite, in the commit group.

    Reads the caller made on the session see committed data only (no transaction is open on
    SQLite until the first write), so the group's connection sees at least as much.
    """
    group = group_for(session.get_bind())
    if group is None:
        session.flush()
        try:
            result = work(session.connection())
            session.commit()
        except Exception:
            session.rollback()
            raise
        return result
    return group.run(work)
