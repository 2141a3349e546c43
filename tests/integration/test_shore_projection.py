"""The PFSO's view ashore (shore_record) as the ingest keeps it in each batch's transaction, and as
`gangway shore project` rebuilds it: the same rows, each record's latest content, even when the
rebuild is SIGKILLed mid-chunk (its own process, its upsert held on a row lock) and run again."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, delete, select, text

from gangway.db.models import ShoreRecord
from gangway.domain.records.audit_chain import digest, next_entry
from gangway.extensions import db
from tests.conftest import dispose, postgres_url
from tests.support.job_workers import wait_for
from tests.support.shore import AT, FIELDS, add_test_ship, batch, send, shore_app

pytestmark = pytest.mark.shore
CHUNK = 20  # entries a transaction of the rebuild: #1-#20, #21-#40, ...
HELD = 10  # a movement first sent in entry #29, so in the rebuild's second chunk
WAITING_UPSERT = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO shore_record%'"
)


def revisions(n: int) -> list[dict]:
    """A port call, then movements each sent three times (a record changed twice on board)."""
    out, head = [], None
    for seq in range(1, n + 1):
        if seq == 1:
            table, fields, row = "port_call", None, {"id": 1, "facility_name": " Europort "}
            value = digest(row)
        else:
            table, fields = "movement", FIELDS
            row = {"id": (seq + 1) // 3, "direction": "board", "person_id": seq, "port_call_id": 1}
            value = digest({f: row[f] for f in FIELDS})
        at = AT + timedelta(seconds=seq)
        e = next_entry(head, f"{table}.recorded", table, row["id"], value, at)
        out.append({
            "seq": e.seq, "kind": e.kind, "record_table": table, "record_id": row["id"],
            "digest": e.digest, "prev_hash": e.prev_hash, "entry_hash": e.entry_hash,
            "recorded_at": at.isoformat().replace("+00:00", "Z"),
            "payload": None, "fields": fields, "content": row,
        })  # fmt: skip
        head = (e.seq, e.entry_hash)
    return out


def view(app) -> list:
    """Return shore_record's rows whole, in key order."""
    with app.app_context():
        table = ShoreRecord.__table__
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        db.session.remove()
    return list(rows)


def forked(app, *args: str) -> multiprocessing.Process:
    """Run a command of the app in a process of its own, forked: this one's imports, no start."""

    def run() -> None:
        with app.app_context():
            db.engine.dispose(close=False)  # the parent's connections stay the parent's
        app.test_cli_runner().invoke(args=list(args))

    process = multiprocessing.get_context("fork").Process(target=run, daemon=True)
    process.start()
    return process


def held_upserts(engine, projector) -> int:
    """Count the upserts waiting on a lock (the projector must still be running)."""
    assert projector.is_alive(), "the projector ended before its upsert was held"
    with engine.connect() as conn:
        return conn.execute(WAITING_UPSERT).scalar()


def emptied(app) -> None:
    with app.app_context():
        db.session.execute(delete(ShoreRecord))
        db.session.commit()


def test_the_view_rebuilt_after_a_kill_mid_chunk_equals_the_ingests_and_a_fresh_one(tmp_path):
    shore = shore_app(tmp_path)
    imo, token = add_test_ship(shore)
    entries = revisions(60)
    client = shore.test_client()
    for start in range(0, 60, 25):  # batches that cut a record's revisions apart
        answer = send(client, token, batch(imo, entries[start : start + 25]))
        assert answer.status_code == 200, answer.get_data(as_text=True)
    ingested = view(shore)
    latest = {(e["record_table"], e["record_id"]): (e["seq"], e["content"]) for e in entries}
    assert {(r.record_table, r.record_id): (r.seq, r.content) for r in ingested} == latest
    assert [r.facility_key for r in ingested if r.record_table == "port_call"] == ["europort"]

    emptied(shore)
    engine = create_engine(postgres_url())
    blocker = engine.connect()
    projector = forked(shore, "shore", "project", "--chunk", str(CHUNK))
    try:  # the record's row written and not committed: the projector's upsert of it waits
        blocker.execute(
            text(
                "INSERT INTO shore_record (ship_id, record_table, record_id, seq, content) "
                "SELECT id, 'movement', :id, 0, '{}' FROM shore_ship WHERE imo = :imo"
            ),
            {"id": HELD, "imo": imo},
        )
        wait_for(lambda: held_upserts(engine, projector), "the projector's upsert held")
        assert len(view(shore)) == 8  # chunk 1 committed (the call, movements 1-7), not chunk 2
        os.kill(projector.pid, signal.SIGKILL)
        projector.join(timeout=30)
    finally:
        projector.kill()
        blocker.rollback()
        blocker.close()
        engine.dispose()
    restarted = shore.test_cli_runner().invoke(args=["shore", "project", "--chunk", str(CHUNK)])
    assert restarted.exit_code == 0, restarted.output
    after_kill = view(shore)
    emptied(shore)
    fresh = shore.test_cli_runner().invoke(args=["shore", "project"])
    assert fresh.exit_code == 0, fresh.output
    assert after_kill == view(shore) == ingested
    dispose(shore)
