"""Command line for the admin: archive a port call's records to a file, then purge them.

SOLAS XI-2/9.2.1 and 33 CFR 104.235: the last 10 port calls and the retention period stay in
the database; older calls leave it only after they have been archived.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway.background.snapshot_job import reports_dir
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.reports.files import snapshot_folder
from gangway.services.ship.retention import archive_port_call, purge_port_call, purge_preview


@click.command("archive-port-call")
@click.argument("call_id", type=int)
@click.option(
    "--to",
    "path",
    required=True,
    type=click.Path(path_type=Path),
    help="The zip file to write, or a folder to write it in.",
)
@with_appcontext
def archive_port_call_command(call_id, path):
    """Write a closed port call's records to a zip file and mark the call archived."""
    try:
        written = archive_port_call(db.session, call_id, path, now=utcnow())
    except BadInput as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Archived port call {call_id} to {written}.")


@click.command("purge-port-call")
@click.argument("call_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def purge_port_call_command(call_id, yes):
    """Delete an archived port call's records once the retention period allows it."""
    days = current_app.config["RETENTION_DAYS"]
    try:
        counts = purge_preview(db.session, call_id, now=utcnow(), retention_days=days)
        if not yes:
            click.echo(f"Purging port call {call_id} would delete:")
            _echo_counts(counts)
            click.confirm("Delete these records?", abort=True)
        counts = purge_port_call(db.session, call_id, now=utcnow(), retention_days=days)
    except BadInput as exc:
        raise click.ClickException(exc.message) from None
    # The report stored at close holds the same personal data: it goes with the records.
    stored = snapshot_folder(reports_dir(current_app), call_id)
    if stored.exists():
        shutil.rmtree(stored)
        click.echo(f"Deleted the stored report {stored}")
    click.echo(f"Purged port call {call_id}:")
    _echo_counts(counts)


def _echo_counts(counts: dict[str, int]) -> None:
    for name, count in counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {count}")


COMMANDS = (archive_port_call_command, purge_port_call_command)
