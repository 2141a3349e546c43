"""Tamper-evident records (ISPS A/10.3): `gangway verify-log` names each row changed beside the app.

Each tampering test edits the database with raw SQL, as someone with a database client would.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from gangway.db.models import AuditEntry, AuditFieldSet, Badge, LevelChange, Movement, User
from gangway.domain.records.audit_chain import entry_hash
from gangway.extensions import db
from gangway.services.audit.audit import AppendOnly
from gangway.services.audit.verify import adopt_records
from gangway.services.people.people import revoke_badge
from gangway.services.ship.security_level import set_level
from tests.conftest import NOW


@pytest.fixture
def records(app, client, auth, make_badge, make_user):
    """A failed login, a boarding and a departure, a refusal, a level change, a revoked badge."""
    make_user("sso")
    client.post("/login", data={"username": "sso", "password": "wrong password"})
    auth.login("watch")
    crew = make_badge()
    client.post("/watch/scan", data={"code": crew, "direction": "board"})
    client.post("/watch/scan", data={"code": crew, "direction": "depart"})
    expired = make_badge(valid_from=NOW - timedelta(days=9), valid_until=NOW - timedelta(days=1))
    client.post("/watch/scan", data={"code": expired, "direction": "board"})
    with app.app_context():
        sso = db.session.scalars(select(User).where(User.username == "sso")).one()
        level = {"level": 2, "reason": "Port state order", "ordered_by": "port_state"}
        set_level(db.session, **level, notified_at=NOW, complied_at=None, user=sso, now=NOW)
        badge = db.session.scalars(select(Badge)).first()
        revoke_badge(db.session, badge, "lost", user=sso, now=NOW)
        db.session.commit()
        movements = db.session.scalars(select(Movement.id).order_by(Movement.id)).all()
    assert len(movements) == 2
    return {"movements": movements}


EVENTS = {  # one entry kind for each event the fixture makes
    *("port_call.opened", "user.created", "login.failed", "badge.issued", "badge.revoked"),
    *("movement.recorded", "refusal.recorded", "level.changed"),
}


def sql(app, statement: str, **params) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text(statement), params)


def db_is_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def seq_of(app, table: str, record_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AuditEntry.seq).where(
                AuditEntry.record_table == table, AuditEntry.record_id == record_id
            )
        )


def verify(runner, *args, ok: bool = False) -> str:
    result = runner.invoke(args=["verify-log", *args])
    assert result.exit_code == (0 if ok else 1), result.output
    return result.output


def problems(output: str) -> list[str]:
    return re.findall(r"^  \[(\S+)\] (.*)$", output, re.M)


def test_records_made_through_the_app_verify_and_each_event_is_chained(app, runner, records):
    output = verify(runner, ok=True)
    assert "OK: the chain is unbroken and every record matches its entry." in output
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    kinds = {e.kind for e in entries}
    assert EVENTS - kinds == set()
    assert f"head #{entries[-1].seq} sha256:{entries[-1].entry_hash}" in output
    failed = json.loads(next(e.payload for e in entries if e.kind == "login.failed"))
    assert failed["username"] == "sso"
    assert failed["reason"] == "wrong_password"


def test_an_edited_chain_entry_is_named_and_so_is_a_recomputed_one(app, runner, records):
    seq = seq_of(app, "movement", records["movements"][0])
    sql(app, "UPDATE audit_entry SET kind = 'movement.late' WHERE seq = :s", s=seq)
    assert problems(verify(runner))[0] == (
        "entry_altered",
        f"entry #{seq} (movement.late) was altered after it was written",
    )
    with app.app_context():  # an attacker who knows the algorithm recomputes the hash ...
        e = db.session.get(AuditEntry, seq)
        forged = entry_hash(
            e.prev_hash, seq, e.kind, e.record_table, e.record_id, e.digest, e.recorded_at
        )
    sql(app, "UPDATE audit_entry SET entry_hash = :h WHERE seq = :s", h=forged, s=seq)
    # ... and the next entry no longer follows it.
    assert problems(verify(runner))[0] == (
        "chain_broken",
        f"entry #{seq + 1} does not follow entry #{seq}",
    )


def test_a_deleted_chain_entry_is_named_and_its_record_is_unchained(app, runner, records):
    movement = records["movements"][0]
    seq = seq_of(app, "movement", movement)
    sql(app, "DELETE FROM audit_entry WHERE seq = :s", s=seq)
    found = problems(verify(runner))
    assert found[0] == ("entry_missing", f"entry #{seq} is missing: the chain jumps to #{seq + 1}")
    assert (
        "row_unchained",
        f"movement {movement} has no chain entry: it was written outside the app",
    ) in found


def test_reordered_chain_entries_are_named_from_the_first_moved(app, runner, records):
    seq = seq_of(app, "movement", records["movements"][0])
    sql(app, "UPDATE audit_entry SET seq = -1 WHERE seq = :s", s=seq)
    sql(app, "UPDATE audit_entry SET seq = :s WHERE seq = :n", s=seq, n=seq + 1)
    sql(app, "UPDATE audit_entry SET seq = :n WHERE seq = -1", n=seq + 1)
    found = problems(verify(runner))
    assert found[0] == ("chain_broken", f"entry #{seq} does not follow entry #{seq - 1}")
    moved = f"entry #{seq + 1} (movement.recorded) was altered after it was written"
    assert ("entry_altered", moved) in found


def test_an_edited_movement_is_named(app, runner, records):
    movement = records["movements"][1]
    seq = seq_of(app, "movement", movement)
    sql(app, "UPDATE movement SET direction = 'board' WHERE id = :i", i=movement)  # was depart
    changed = f"movement {movement} was changed after chain entry #{seq} (movement.recorded)"
    with app.app_context():  # presence follows the edited movement: it is named too
        person = db.session.get(Movement, movement).person_id
    moved = (
        f"person {person} aboard_movement_id shows them ashore, but the chained movements put "
        f"them aboard since movement {movement}"
    )
    assert problems(verify(runner)) == [("row_altered", changed), ("presence_altered", moved)]
    if db_is_sqlite(app):  # SQLite stores any value in any column: still named, no traceback
        sql(app, "UPDATE movement SET occurred_at = 'garbage' WHERE id = :i", i=movement)
        assert problems(verify(runner))[0] == ("row_altered", changed)


def test_a_deleted_refusal_is_named(app, runner, records):
    with app.app_context():
        refusal = db.session.scalar(text("SELECT id FROM refusal"))
    seq = seq_of(app, "refusal", refusal)
    sql(app, "DELETE FROM refusal WHERE id = :i", i=refusal)
    assert problems(verify(runner)) == [
        (
            "row_deleted",
            f"refusal {refusal} was deleted: chain entry #{seq} (refusal.recorded) records it "
            "and no purge removed it",
        )
    ]


def test_a_movement_slipped_in_beside_the_app_is_named(app, runner, records):
    columns = (
        "person_id, direction, occurred_at, access_point_id, method, credential, searched, "
        "flags, recorded_by_id"
    )
    copy = f"INSERT INTO movement ({columns}) SELECT {columns} FROM movement WHERE id = :i"
    sql(app, copy, i=records["movements"][0])
    new_id = records["movements"][1] + 1
    assert problems(verify(runner)) == [
        ("row_unchained", f"movement {new_id} has no chain entry: it was written outside the app")
    ]


def test_reordered_movements_are_each_named(app, runner, records):
    first, second = records["movements"]
    with app.app_context():
        query = text("SELECT occurred_at FROM movement WHERE id = :i")
        times = {i: db.session.scalar(query, {"i": i}) for i in (first, second)}
    for a, b in ((first, second), (second, first)):  # the two crossings swap places in time
        sql(app, "UPDATE movement SET occurred_at = :t WHERE id = :i", t=times[b], i=a)
    found = problems(verify(runner))
    assert [(code, message.split(" was ")[0]) for code, message in found] == [
        ("row_altered", f"movement {first}"),
        ("row_altered", f"movement {second}"),
        ("presence_altered", found[2][1]),  # who is aboard follows the reordered movements
    ]


def test_a_role_raised_with_sql_is_named_but_one_changed_by_the_app_is_a_new_entry(
    app, runner, records
):
    with app.app_context():
        watch = db.session.scalars(select(User).where(User.username == "watch")).one()
        watch.role = "master"  # through the app: chained as a new entry
        db.session.commit()
        watch_id = watch.id
        seq = db.session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
        assert db.session.get(AuditEntry, seq).kind == "user.role_changed"
    verify(runner, ok=True)
    sql(app, "UPDATE \"user\" SET role = 'admin' WHERE id = :i", i=watch_id)
    changed = f"user {watch_id} was changed after chain entry #{seq} (user.role_changed)"
    assert problems(verify(runner)) == [("row_altered", changed)]


def test_concurrent_writers_append_to_one_unbroken_chain(app, runner, make_user):
    user_id = make_user("sso").id

    def write_levels():
        with app.app_context():
            for level in (2, 3, 1, 2, 1):
                drill = {"reason": "drill", "ordered_by": "own", "notified_at": NOW}
                db.session.add(LevelChange(level=level, **drill, recorded_by_id=user_id))
                db.session.commit()

    threads = [threading.Thread(target=write_levels) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        seqs = db.session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        levels = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "level.changed"))
        assert len(levels.all()) == 20
    assert seqs == list(range(1, len(seqs) + 1))
    verify(runner, ok=True)


def test_records_older_than_the_chain_are_adopted_once(app, runner, records):
    sql(app, "DELETE FROM audit_entry")  # a database from before the chain
    assert {code for code, _ in problems(verify(runner))} == {"row_unchained"}
    result = runner.invoke(args=["adopt-records", "--yes"])
    assert result.exit_code == 0, result.output
    assert "movement: 2" in result.output
    verify(runner, ok=True)
    with app.app_context():
        assert adopt_records(db.session, only_if_chain_empty=True) == {}  # what init-db runs
        kinds = set(db.session.scalars(select(AuditEntry.kind)))
    assert {"movement.adopted", "records.adopted"} <= kinds


def _stamp(app, revision: str) -> None:
    """Mark the test database (built by create_all) as migrated up to `revision`."""
    from flask_migrate import stamp

    with app.app_context():
        stamp(directory=app.extensions["migrate"].directory, revision=revision)


def test_init_db_adopts_the_records_when_its_upgrade_brings_the_chain(
    app, runner, records, monkeypatch
):
    sql(app, "DROP TABLE audit_entry")  # a database from before the chain's migration
    sql(app, "DROP TABLE audit_field_set")
    chain = [AuditFieldSet.__table__, AuditEntry.__table__]
    # The upgrade as far as the chain is concerned (the test schema is not built by Alembic).
    monkeypatch.setattr(
        "gangway.cli.upgrade", lambda directory: db.metadata.create_all(db.engine, tables=chain)
    )
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Audit chain started" in result.output
    verify(runner, ok=True)


def test_init_db_never_refills_an_emptied_chain(app, runner, records):
    """`scripts/run.sh` runs init-db at every start: it must not launder a wiped chain."""
    _stamp(app, "head")
    sql(app, "UPDATE movement SET purpose = 'edited' WHERE id = :i", i=records["movements"][0])
    sql(app, "DELETE FROM audit_entry")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Warning: the audit chain is empty" in result.output
    assert {code for code, _ in problems(verify(runner))} == {"row_unchained"}


def test_an_anchor_that_is_not_seq_and_hash_is_refused_with_a_usage_error(runner, records):
    result = runner.invoke(args=["verify-log", "--anchor", f"{'9' * 25}:{'a' * 64}"])
    assert result.exit_code == 2, result.output
    assert "is not SEQ:HASH" in result.output


def test_an_anchor_noted_earlier_catches_a_cut_off_tail(app, runner, client, records):
    client.post("/login", data={"username": "ghost", "password": "guess"})  # the last entry
    with app.app_context():
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert last.kind == "login.failed"
    name = json.loads(last.payload)["username_hmac"]
    assert len(name) == 64  # a password typed as the name must not stay for ever, nor its
    assert "ghost" not in last.payload  # plain hash (one dictionary lookup away)
    assert hashlib.sha256(b"ghost").hexdigest() not in last.payload
    output = verify(runner, ok=True)
    seq, digest = re.search(r"head #(\d+) sha256:(\w+)", output).groups()
    verify(runner, "--anchor", f"{seq}:{digest}", ok=True)
    sql(app, "DELETE FROM audit_entry WHERE seq = :s", s=int(seq))
    verify(runner, ok=True)  # a cut tail of events that are not rows leaves no gap to see ...
    assert problems(verify(runner, "--anchor", f"{seq}:{digest}")) == [  # ... but not an anchor
        ("anchor_mismatch", f"anchored entry #{seq} is gone")
    ]


def test_the_app_refuses_to_edit_or_delete_a_movement_in_place(app, records):
    with app.app_context():
        movement = db.session.get(Movement, records["movements"][0])
        movement.direction = "depart"
        with pytest.raises(AppendOnly, match="record a correction as a new row"):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(Movement, records["movements"][0]))
        with pytest.raises(AppendOnly):
            db.session.commit()
        db.session.rollback()
