"""A consistent copy of the database while the app keeps running.

SQLite: the online backup API copies every page inside one read transaction, so the copy is the
database as of one instant (every transaction committed before it started, none half-done); in
WAL mode the scans go on meanwhile. PostgreSQL: `pg_dump` in its custom format (one snapshot
too), restored with `pg_restore`. Either way the file is written beside the target and renamed
into place only when complete, so a failed backup never leaves a file that looks like one.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


def backup_database(url: str | URL, target: Path) -> Path:
    """Copy the database at `url` to `target` (a file path) and return it.

    :raises BackupError: unsupported database, missing tool, or the copy failed.
    """
    url = make_url(url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        backup_sqlite(Path(url.database), target)
    elif backend == "postgresql":
        backup_postgres(url, target)
    else:
        raise BackupError(f"No backup method for {backend} databases (SQLite and PostgreSQL).")
    return target


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API into a standalone file."""
    if not source.is_file():
        raise BackupError(f"No database file at {source}.")
    partial = _partial(target)
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)  # all pages in one step: one read transaction, one instant
            # The copy inherits WAL mode; a rollback journal makes it one self-contained file
            # (the app switches it back to WAL when it opens it after a restore).
            dst.execute("PRAGMA journal_mode=DELETE")
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {verdict}")
        _commit(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)


def backup_postgres(url: URL, target: Path) -> None:
    """Dump a PostgreSQL database with `pg_dump --format=custom` (restore with pg_restore)."""
    exe = find_pg_tool("pg_dump")
    if exe is None:
        raise BackupError(
            "pg_dump was not found: install the PostgreSQL client tools (Debian: apt-get "
            "install postgresql-client, the same major version as the server or newer)."
        )
    # libpq takes the URL without SQLAlchemy's driver name; the password goes by environment,
    # not on the command line where any user's `ps` would show it.
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    partial = _partial(target)
    try:
        done = subprocess.run(
            [exe, "--format=custom", "--file", str(partial), "--dbname", dsn],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        _commit(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def find_pg_tool(name: str) -> str | None:
    """Return a PostgreSQL client tool on PATH, else the newest in /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    versions.sort(key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


def _partial(target: Path) -> Path:
    """Return the temporary name the copy is written under, beside the target."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    return partial


def _commit(partial: Path, target: Path) -> None:
    """Flush the finished copy to disk and rename it into place (atomic on one filesystem)."""
    with open(partial, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
