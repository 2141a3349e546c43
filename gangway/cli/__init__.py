"""Command line: `gangway init-db | create-user | create-token | seed-demo | serve`.

The same commands run as `flask --app gangway ...`.
"""

from __future__ import annotations

import sys

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import inspect, select

from gangway import keys
from gangway.db.models import ROLES, AuditEntry, User
from gangway.domain.records.chained_tables import CHAINED, CHAINED_LATER
from gangway.extensions import db
from gangway.services import BadInput
from gangway.services.accounts.accounts import create_token, create_user
from gangway.services.audit import record_copies_chain
from gangway.services.audit.verify import adopt_records


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema to the latest migration, and the signing key."""
    had_chain = inspect(db.engine).has_table(AuditEntry.__tablename__)
    directory = current_app.extensions["migrate"].directory
    before = _revision()
    upgrade(directory=directory)
    if not had_chain:  # this upgrade brought the chain: chain the records older than it
        if adopt_records(db.session, only_if_chain_empty=True):
            click.echo("Audit chain started: existing records adopted (see gangway verify-log).")
        db.session.commit()
    elif _chain_is_empty_beside_records():
        # An emptied chain is never refilled here: that would vouch for whatever was changed.
        click.echo(
            "Warning: the audit chain is empty. Run `gangway verify-log`; adopt the records "
            "(`gangway adopt-records`) only if this database never had a chain."
        )
    elif later := _chained_by_this_upgrade(directory, before):
        # Tables this version started to chain: their rows are adopted once, by the upgrade
        # that crosses the marking revision; a later run never adopts what was slipped in.
        if counts := adopt_records(db.session, tables=later):
            click.echo(f"Audit chain extended: adopted {_counted(counts)}.")
        db.session.commit()
    if had_chain and _crossed(directory, before, record_copies_chain.REVISION):
        # Records written before they kept their person's copy: chain the copy the upgrade made.
        if counts := record_copies_chain.chain_added_copies(db.session):
            click.echo(f"Audit chain extended: person copies of {_counted(counts)}.")
        db.session.commit()
    keys.signing_key()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


def _revision() -> str | None:
    """Return the database's Alembic revision before the upgrade (None: a new database)."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _chained_by_this_upgrade(directory: str, before: str | None) -> list[str]:
    """Return the tables whose chaining began at a revision this upgrade has just applied."""
    if before is None:
        return []
    done = {s.revision for s in ScriptDirectory(directory).walk_revisions("base", before)}
    return [table for table, revision in CHAINED_LATER.items() if revision not in done]


def _crossed(directory: str, before: str | None, revision: str) -> bool:
    """Tell whether this upgrade has just applied `revision` to a database that had records."""
    if before is None:
        return False
    done = {s.revision for s in ScriptDirectory(directory).walk_revisions("base", before)}
    return revision not in done


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{table.replace('_', ' ')} rows: {n}" for table, n in counts.items())


def _chain_is_empty_beside_records() -> bool:
    """Tell whether the audit chain has no entry although chained tables hold rows."""
    if db.session.scalar(select(AuditEntry.seq).limit(1)) is not None:
        return False
    tables = (db.metadata.tables[name] for name in CHAINED)
    return any(db.session.scalar(select(t.c.id).limit(1)) is not None for t in tables)


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--display-name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--facility", default="", help="PFSO: the port facility's name (required).")
@click.option("--unlocode", default="", help="PFSO: the port's UN/LOCODE, e.g. NLRTM.")
@with_appcontext
def create_user_command(username, role, display_name, password_stdin, facility, unlocode):
    """Create a user who can log in (a PFSO reads only the calls at their facility)."""
    if role == "pfso" and not facility.strip():
        raise click.UsageError("A PFSO needs their port facility's name: --facility NAME.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(
            db.session,
            username,
            role,
            password,
            display_name,
            facility_name=facility,
            facility_unlocode=unlocode,
        )
    except BadInput as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"Created {role} user {username!r}.")


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="cli", help="What the token is for.")
@with_appcontext
def create_token_command(username, name):
    """Print a new API token for a user (shown once; only its hash is stored)."""
    user = db.session.scalars(db.select(User).where(User.username == username)).first()
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    token = create_token(db.session, user, name)
    db.session.commit()
    click.echo(token)


def register_cli(app):
    """Attach the commands to `flask` (and so to `gangway`)."""
    from gangway.cli.audit import COMMANDS as AUDIT_COMMANDS
    from gangway.cli.backup import COMMANDS as BACKUP_COMMANDS
    from gangway.cli.demo import seed_demo_command
    from gangway.cli.retention import COMMANDS as RETENTION_COMMANDS
    from gangway.cli.serve import serve_command
    from gangway.cli.shore import COMMANDS as SHORE_COMMANDS
    from gangway.cli.shore_link import COMMANDS as SHORE_LINK_COMMANDS

    for command in (
        init_db_command,
        create_user_command,
        create_token_command,
        seed_demo_command,
        serve_command,
        *RETENTION_COMMANDS,
        *BACKUP_COMMANDS,
        *AUDIT_COMMANDS,
        *SHORE_COMMANDS,
        *SHORE_LINK_COMMANDS,
    ):
        app.cli.add_command(command)


def _create_app():
    from gangway import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Gangway: ISPS gangway access control.")
