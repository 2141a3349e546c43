"""Command line for the audit chain: `gangway verify-log` and `gangway adopt-records`.

ISPS Code A/10.3: records kept electronically are protected against unauthorised deletion,
destruction or amendment; verify-log shows whether they were.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from gangway.domain.records.audit_anchor import parse_anchor, short_head
from gangway.extensions import db
from gangway.services.audit.verification import record_result
from gangway.services.audit.verify import adopt_records, verify_log


def _anchors(ctx, param, values) -> dict[int, str]:
    out = {}
    for value in values:
        anchor = parse_anchor(value)  # at most 18 digits: more overflows the database's integer
        if anchor is None:
            raise click.BadParameter(
                f"{value!r} is not SEQ:HASH nor a head as reports show it "
                '(e.g. 1234:9f86d08... or "#1234 9f86d081…2b0b822c").'
            )
        out[anchor[0]] = anchor[1]
    return out


@click.command("verify-log")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    callback=_anchors,
    metavar="HEAD",
    help=(
        "A head noted earlier, as a report, e-mail or the SSO's page shows it (\"#1234 "
        '9f86d081…2b0b822c" or "#1234 sha256:<hash>") or SEQ:HASH: it must still be in the chain.'
    ),
)
@click.option("--limit", default=50, show_default=True, help="How many problems to print.")
@click.option(
    "--record",
    is_flag=True,
    help="Chain the result too, for the admin's Audit chain page (else nothing is written).",
)
@with_appcontext
def verify_log_command(anchors, limit, record):
    """Check the audit chain and every record against it; exit 1 if anything was tampered with."""
    report = verify_log(db.session, anchors=anchors)
    db.session.rollback()  # read only
    if record:
        record_result(db.session, report, by="command line")
    head = f"#{report.head[0]} sha256:{report.head[1]}" if report.head else "none (empty chain)"
    click.echo(f"Audit chain: {report.entries} entries, head {head}")
    if report.head:
        click.echo(f"Head as reports show it: {short_head(*report.head)}")
    click.echo(f"Records checked: {report.records}")
    if report.ok:
        click.echo("OK: the chain is unbroken and every record matches its entry.")
        return
    total = sum(report.counts.values())
    click.echo(f"FAILED: {total} problem(s), first one first:")
    for finding in report.findings[:limit]:
        click.echo(f"  [{finding.code}] {finding.message}")
    if total > limit:
        click.echo(f"  ... and {total - min(limit, len(report.findings))} more")
    summary = ", ".join(f"{code} {n}" for code, n in sorted(report.counts.items()))
    click.echo(f"By kind: {summary}")
    raise click.exceptions.Exit(1)


@click.command("adopt-records")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def adopt_records_command(yes):
    """Chain the records older than the chain (written before it covered their table)."""
    if not yes:
        click.echo(
            "The records written before the chain covered their table get an entry now: the "
            "chain then vouches for them from today, not for their past. A record slipped in "
            "after that is never adopted: it stays a finding of verify-log."
        )
        click.confirm("Adopt the records older than the chain?", abort=True)
    counts = adopt_records(db.session)
    db.session.commit()
    if not counts:
        click.echo(
            "Nothing to adopt: the chain covers every table. Records without an entry were "
            "written beside the app after that; `gangway verify-log` names them."
        )
    for name, count in counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {count}")


COMMANDS = (verify_log_command, adopt_records_command)
