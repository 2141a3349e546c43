"""Command line for the ship's link ashore: `gangway shore-link set | status | run`.

Issue 17: every record reaches the fleet server ashore, which verifies the chain as it arrives.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway.domain.records.audit_anchor import short_head
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.shore_link.settings import link_status, set_link


@click.group("shore-link")
def shore_link_group():
    """Send the ship's records to the fleet server ashore."""


@shore_link_group.command("set")
@click.argument("url")
@click.argument("token")
@click.option("--insecure", is_flag=True, help="Allow http:// (tests and development only).")
@with_appcontext
def set_command(url, token, insecure):
    """Send the records to the shore at URL with the ship's link TOKEN."""
    try:
        row = set_link(db.session, url, token, insecure=insecure)
    except BadInput as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Shore link set: {row.url} (acknowledged head #{row.acked_seq}).")
    if current_app.config.get("SHORE_URL"):
        click.echo("Note: GANGWAY_SHORE_URL is set and is used instead while it is.")
    click.echo("`gangway serve` sends from its next start; `gangway shore-link run` sends now.")


@shore_link_group.command("status")
@with_appcontext
def status_command():
    """Print where the records go, what the shore holds, what waits and the last error."""
    s = link_status(db.session, current_app.config)
    db.session.rollback()  # read only
    if s.link.is_set:
        click.echo(f"Shore link: {s.link.url} (from the {s.link.source})")
    elif s.link.source == "environment":
        click.echo("Shore link: incomplete: set both GANGWAY_SHORE_URL and GANGWAY_SHORE_TOKEN.")
    else:
        click.echo("Shore link: not set (gangway shore-link set URL TOKEN).")
    click.echo(f"Chain on board: #{s.head_seq}")
    held = short_head(s.acked_seq, s.acked_hash) if s.acked_hash else "nothing yet"
    click.echo(f"Sent and acknowledged: {s.acked_seq} entries, head {held}")
    if s.acked_hash:
        click.echo(f"Acknowledged head: #{s.acked_seq} sha256:{s.acked_hash}")
    click.echo(f"Waiting to be sent: {s.waiting} entries")
    click.echo(f"Last contact: {_time(s.last_contact_at)}")
    if s.diverged_seq is not None:
        click.echo(f"CHAIN DIVERGED at #{s.diverged_seq}: the shore refuses the chain on board.")
    if s.last_error:
        click.echo(f"Last error ({_time(s.last_error_at)}): {s.last_error}")


@shore_link_group.command("run")
@click.option("--once", is_flag=True, help="Send what waits, then stop.")
@with_appcontext
def run_command(once):
    """Send the records ashore until stopped (`gangway serve` starts this by itself)."""
    from gangway.background.shore_sender import run_sender

    outcome = run_sender(current_app._get_current_object(), once=once)
    if once:
        click.echo(outcome.message)
        if not outcome.ok:
            raise click.exceptions.Exit(1)


def _time(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC") if at else "never"


COMMANDS = (shore_link_group,)
