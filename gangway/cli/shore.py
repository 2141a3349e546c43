"""Command line of the shore server: `gangway shore init | add-ship | ships | verify | project`.

The shore is the same package run ashore with GANGWAY_SHORE=1 on PostgreSQL (README "Shore
server"); these commands refuse to run on a ship's instance.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.shore.projection import CHUNK, rebuild_records
from gangway.services.shore.ships import add_ship, fleet
from gangway.services.shore.verify import verify_fleet


@click.group("shore")
def shore_group():
    """The shore server: prepare its database, add the fleet's ships, list them."""


def _require_shore() -> None:
    if not current_app.config.get("SHORE"):
        raise click.ClickException(
            "This instance is a ship's: set GANGWAY_SHORE=1 to run the shore server's commands."
        )


@shore_group.command("init")
@click.option("--allow-sqlite", is_flag=True, help="Development only: accept a SQLite database.")
@click.pass_context
@with_appcontext
def init_command(ctx, allow_sqlite):
    """Create or upgrade the shore's database (PostgreSQL) to the latest schema."""
    from gangway.cli import init_db_command

    _require_shore()
    backend = db.engine.url.get_backend_name()
    if backend != "postgresql" and not allow_sqlite:
        raise click.ClickException(
            f"The shore keeps the fleet's records in PostgreSQL, not {backend}: set "
            'GANGWAY_DATABASE_URL=postgresql+psycopg://USER@HOST/DB (README "Shore server"), '
            "or pass --allow-sqlite to try it out on this machine."
        )
    ctx.invoke(init_db_command)


@shore_group.command("add-ship")
@click.option("--imo", required=True, help="The ship's IMO number (7 digits).")
@click.option("--name", required=True, help="The ship's name.")
@with_appcontext
def add_ship_command(imo, name):
    """Add a ship of the fleet and print its link token, once (only its hash is kept)."""
    _require_shore()
    try:
        ship, token = add_ship(db.session, imo, name, utcnow())
    except BadInput as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Added {ship.name} (IMO {ship.imo}). Its link token, shown this once:")
    click.echo(token)
    click.echo(f"On board: gangway shore-link set https://<this shore> {token}")


@shore_group.command("ships")
@with_appcontext
def ships_command():
    """List the fleet's ships: IMO, name, chain held ashore and its status, last contact."""
    _require_shore()
    ships = fleet(db.session)
    if not ships:
        click.echo("No ships yet: gangway shore add-ship --imo N --name NAME")
    for ship in ships:
        at = ship.last_contact_at
        contact = f"{at:%Y-%m-%d %H:%M} UTC" if at else "never"
        chain = "ok" if ship.chain_status == "ok" else f"diverged at #{ship.diverged_at}"
        click.echo(
            f"{ship.imo}  {ship.name:<30}  head #{ship.head_seq}  chain {chain}  "
            f"last contact {contact}"
        )
    db.session.rollback()  # read only


@shore_group.command("verify")
@click.option("--imo", default=None, help="Only this ship (default: every ship).")
@click.option("--limit", default=20, show_default=True, help="How many problems to print a ship.")
@with_appcontext
def verify_command(imo, limit):
    """Check every ship's chain held ashore again; exit 1 if anything was changed ashore."""
    _require_shore()
    checks = verify_fleet(db.session, imo)
    db.session.rollback()  # read only
    if imo and not checks:
        raise click.ClickException(f"No ship with IMO {imo} in the fleet.")
    for check in checks:
        verdict = "OK" if not check.findings else f"FAILED: {len(check.findings)} problem(s)"
        click.echo(f"{check.imo}  {check.name}: {check.entries} entries, {verdict}")
        for finding in check.findings[:limit]:
            click.echo(f"  [{finding.code}] {finding.message}")
    if any(check.findings for check in checks):
        raise click.exceptions.Exit(1)


@shore_group.command("project")
@click.option("--chunk", default=CHUNK, show_default=True, type=click.IntRange(1),
              help="Entries read and projected in one transaction.")  # fmt: skip
@with_appcontext
def project_command(chunk):
    """Fill the PFSO's view (shore_record) from the entries held: for records ingested before it."""
    _require_shore()
    for ship in fleet(db.session):
        click.echo(f"{ship.imo}  {ship.name}: {rebuild_records(db.session, ship, chunk)} records")


COMMANDS = (shore_group,)
