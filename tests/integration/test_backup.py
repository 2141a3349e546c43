"""`gangway backup`: a consistent copy of the database, taken while scans are being written.

On SQLite the copy is a standalone SQLite file; on PostgreSQL (the suite's second run) a
pg_dump archive, restored here into a fresh database with pg_restore to read it back.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gangway.db import backup
from gangway.db.backup import BackupError, backup_database, find_pg_tool
from gangway.db.models import User
from gangway.extensions import db
from gangway.services.accounts.accounts import create_token

RECORD_IDS = "SELECT 'm-' || id FROM movement UNION ALL SELECT 'r-' || id FROM refusal"


class Scanner(threading.Thread):
    """A tablet posting scans through the API until told to stop."""

    def __init__(self, app, headers: dict, code: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.client, self.headers, self.code, self.stop = app.test_client(), headers, code, stop
        self.acked: list[str] = []
        self.failed: list[tuple[int, str]] = []

    def run(self) -> None:
        body = {"code": self.code, "access_point": "MAIN-GW", "direction": "board"}
        while not self.stop.is_set():
            response = self.client.post("/api/v1/scans", json=body, headers=self.headers)
            if response.status_code == 201:
                self.acked.append(response.get_json()["record_id"])
            else:
                self.failed.append((response.status_code, response.get_data(as_text=True)))


def scanning(app, make_user, make_badge, count: int = 3):
    """Start `count` scanners (one token, one crew badge each) and return them with their stop."""
    user = make_user("watch")
    with app.app_context():
        token = create_token(db.session, db.session.get(User, user.id), "backup-test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    stop = threading.Event()
    scanners = [Scanner(app, headers, make_badge(), stop) for _ in range(count)]
    for scanner in scanners:
        scanner.start()
    return scanners, stop


def wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def records_in_copy(app, path: Path) -> set[str]:
    """Return the record ids in a backup file, checking it opens as the database it claims."""
    url = db_url(app)
    if url.get_backend_name() == "sqlite":
        assert not Path(f"{path}-wal").exists()
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
            return {row[0] for row in conn.execute(RECORD_IDS)}
    return restored_record_ids(url, path)


def restored_record_ids(url, dump: Path) -> set[str]:
    """Restore a pg_dump archive into a fresh database with pg_restore; return its record ids."""
    name = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    fresh = url.set(database=name)
    try:
        dsn = fresh.set(drivername="postgresql", password=None).render_as_string(False)
        env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
        subprocess.run(
            [find_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", dsn, dump],
            env=env,
            check=True,
            capture_output=True,
        )
        engine = create_engine(fresh)
        with engine.connect() as conn:
            ids = set(conn.scalars(text(RECORD_IDS)))
        engine.dispose()
        return ids
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def db_url(app):
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"])


def test_backup_while_scans_are_written_holds_every_scan_committed_before_it(
    app, runner, make_user, make_badge, tmp_path
):
    scanners, stop = scanning(app, make_user, make_badge)
    try:
        wait_for(lambda: sum(len(s.acked) for s in scanners) >= 30)
        committed = {rid for s in scanners for rid in list(s.acked)}  # answered: committed
        result = runner.invoke(args=["backup", str(tmp_path / "copy")])
        total = sum(len(s.acked) for s in scanners)
        wait_for(lambda: sum(len(s.acked) for s in scanners) > total)  # scanning goes on
    finally:
        stop.set()
        for scanner in scanners:
            scanner.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert [s.failed for s in scanners] == [[], [], []]
    copied = records_in_copy(app, tmp_path / "copy")
    assert committed <= copied
    assert len(copied) >= 30


def test_backup_into_a_folder_writes_a_dated_file_and_never_overwrites(app, runner, tmp_path):
    first = runner.invoke(args=["backup", str(tmp_path)])
    assert first.exit_code == 0, first.output
    (written,) = tmp_path.glob("gangway-*")
    assert written.suffix == (
        ".sqlite" if db_url(app).get_backend_name() == "sqlite" else ".pgdump"
    )
    again = runner.invoke(args=["backup", str(written)])
    assert again.exit_code != 0
    assert "--force" in again.output
    assert runner.invoke(args=["backup", str(written), "--force"]).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_postgres_backup_without_pg_dump_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup, "find_pg_tool", lambda name: None)
    with pytest.raises(BackupError, match="apt-get install postgresql-client"):
        backup_database("postgresql+psycopg://gangway@127.0.0.1/x", tmp_path / "x.pgdump")
    assert list(tmp_path.iterdir()) == []


def test_backup_of_a_missing_sqlite_file_fails_without_writing_anything(tmp_path):
    with pytest.raises(BackupError, match="No database file"):
        backup_database(f"sqlite:///{tmp_path / 'none.sqlite'}", tmp_path / "copy.sqlite")
    assert list(tmp_path.iterdir()) == []
