"""`gangway backup PATH`: a consistent copy of the database, taken while the app runs."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway.background.priority import lower_priority
from gangway.db.backup import BackupError, backup_database
from gangway.db.types import utcnow
from gangway.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool):
    """Copy the database to PATH (a file, or a folder to write a dated file in).

    SQLite: a standalone SQLite file (online backup API). PostgreSQL: a pg_dump custom-format
    archive for pg_restore. The app may keep running and scanning meanwhile: the copy is one
    read transaction, taken at low CPU and I/O priority (nice 10, idle I/O class).
    """
    if not current_app.testing:  # a test must not lower the priority of the test run itself
        lower_priority()
    url = db.engine.url
    if path.is_dir():
        suffix = ".sqlite" if url.get_backend_name() == "sqlite" else ".pgdump"
        path = path / f"gangway-{utcnow():%Y%m%dT%H%M%SZ}{suffix}"
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists: choose another name or pass --force.")
    if not path.parent.is_dir():
        raise click.ClickException(f"No folder {path.parent}.")
    db.session.remove()  # hold no connection of our own while the copy is taken
    try:
        written = backup_database(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    size = written.stat().st_size
    click.echo(
        f"Backed up {url.render_as_string(hide_password=True)} to {written} ({size:,} bytes)."
    )


COMMANDS = (backup_command,)
