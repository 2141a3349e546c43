"""badge port call, anti-passback per kind, voyages: a visitor badge ends with its call; the
plan refuses boarding twice per kind of person; records at sea belong to a voyage

Adds badge.port_call_id (the port call a temporary badge was issued for: it is refused as
expired once that call is closed, B/9.11 temporary identification) and, on ship and
plan_revision, passback_refuse_board and passback_refuse_depart (comma-separated kinds of
person refused boarding while recorded aboard, or leaving while not). The new default refuses
boarding twice for every kind and flags leaving twice; it is written to the ship and to the
plan revisions alike (the ship and its recorded plan agree). Before this revision boarding twice
was always flagged: a check made before the upgrade and sent late after it is judged by the new
setting. Existing badges get no port call (they keep the dates they were issued with): which
call a badge was issued for was not recorded, and guessing it from the issue time could revoke a
long-term badge issued during a call.

Creates voyage (the ship at sea between two port calls) and movement.voyage_id,
refusal.voyage_id. The voyages of the past are rebuilt from the port calls: one from each
closed call's departure to the next call's arrival (open after the last closed call when none
is open), and, if records exist before the first call (or there is no call at all), one from the
first such record. Every movement and refusal without a port call is then filed under the voyage
whose stretch holds its time; one whose time falls in no voyage (inside a call's stay, yet filed
without it) under the voyage that began last before it, else the first. Nothing else of those
rows changes: their chain digests cover the columns they had, so they still verify; the voyage
rows are adopted into the chain by `gangway init-db` (chained_tables.CHAINED_LATER).

Revision ID: f3b1c2d4e5a6
Revises: b7c4d1e2f311
Create Date: 2026-12-06 17:12:00

"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "f3b1c2d4e5a6"
down_revision = "b7c4d1e2f311"
branch_labels = None
depends_on = None

BOARD = "crew,passenger,visitor,contractor,authority"


def upgrade():
    voyage = op.create_table(
        "voyage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("from_port_call_id", sa.Integer(), nullable=True),
        sa.Column("to_port_call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_port_call_id"],
            ["port_call.id"],
            name=op.f("fk_voyage_from_port_call_id_port_call"),
        ),
        sa.ForeignKeyConstraint(
            ["to_port_call_id"], ["port_call.id"], name=op.f("fk_voyage_to_port_call_id_port_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voyage")),
    )
    with op.batch_alter_table("voyage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voyage_started_at"), ["started_at"], unique=False)
    for table in ("movement", "refusal"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("voyage_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_voyage_id"), ["voyage_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_voyage_id_voyage"), "voyage", ["voyage_id"], ["id"]
            )
    _file_records_at_sea(voyage)
    with op.batch_alter_table("badge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("port_call_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_badge_port_call_id_port_call"), "port_call", ["port_call_id"], ["id"]
        )
    for table in ("ship", "plan_revision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "passback_refuse_board",
                    sa.String(length=100),
                    nullable=False,
                    server_default=BOARD,
                )
            )
            batch_op.add_column(
                sa.Column(
                    "passback_refuse_depart",
                    sa.String(length=100),
                    nullable=False,
                    server_default="",
                )
            )


_AT = gangway.db.types.UTCDateTime(timezone=True)


def _file_records_at_sea(voyage):
    """Rebuild the past voyages from the port calls and file the records at sea under them."""
    bind = op.get_bind()
    call = sa.table(
        "port_call", sa.column("id"), sa.column("arrived_at", _AT), sa.column("departed_at", _AT)
    )
    calls = bind.execute(sa.select(call).order_by(call.c.arrived_at, call.c.id)).all()
    records = [
        sa.table(
            name,
            sa.column("id"),
            sa.column("occurred_at", _AT),
            sa.column("port_call_id"),
            sa.column("voyage_id"),
        )
        for name in ("movement", "refusal")
    ]
    firsts = [
        bind.execute(
            sa.select(sa.func.min(t.c.occurred_at)).where(t.c.port_call_id.is_(None))
        ).scalar()
        for t in records
    ]
    firsts = [
        _AT.process_result_value(f, bind.dialect) if isinstance(f, datetime) else f
        for f in firsts
        if f is not None
    ]
    stretches = []  # (started_at, ended_at, from call, to call)
    if firsts and (not calls or min(firsts) < calls[0].arrived_at):
        stretches.append(
            (
                min(firsts),
                calls[0].arrived_at if calls else None,
                None,
                calls[0].id if calls else None,
            )
        )
    for before, after in zip(calls, [*calls[1:], None]):
        if before.departed_at is not None:
            stretches.append(
                (
                    before.departed_at,
                    after.arrived_at if after else None,
                    before.id,
                    after.id if after else None,
                )
            )
    if not stretches:
        return
    op.bulk_insert(
        voyage,
        [
            {"started_at": a, "ended_at": b, "from_port_call_id": f, "to_port_call_id": t}
            for a, b, f, t in stretches
        ],
    )
    voyages = bind.execute(
        sa.select(voyage.c.id, voyage.c.started_at, voyage.c.ended_at).order_by(
            voyage.c.started_at, voyage.c.id
        )
    ).all()
    for t in records:
        for v in voyages:  # one statement per voyage: a ship may have many records at sea
            held = [
                t.c.port_call_id.is_(None),
                t.c.voyage_id.is_(None),
                t.c.occurred_at >= v.started_at,
            ]
            if v.ended_at is not None:
                held.append(t.c.occurred_at < v.ended_at)
            bind.execute(t.update().where(*held).values(voyage_id=v.id))
        rows = bind.execute(
            sa.select(t.c.id, t.c.occurred_at).where(
                t.c.port_call_id.is_(None), t.c.voyage_id.is_(None)
            )
        ).all()
        for row in rows:  # in no voyage's stretch: rare
            bind.execute(
                t.update()
                .where(t.c.id == row.id)
                .values(voyage_id=_voyage_at(voyages, row.occurred_at))
            )


def _voyage_at(voyages, at: datetime) -> int:
    holding = [v for v in voyages if v.started_at <= at and (v.ended_at is None or at < v.ended_at)]
    if holding:
        return holding[-1].id
    earlier = [v for v in voyages if v.started_at <= at]
    return (earlier or voyages)[-1 if earlier else 0].id


def downgrade():
    for table in ("refusal", "movement"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_voyage_id_voyage"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_voyage_id"))
            batch_op.drop_column("voyage_id")
    with op.batch_alter_table("voyage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voyage_started_at"))
    op.drop_table("voyage")
    for table in ("plan_revision", "ship"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("passback_refuse_depart")
            batch_op.drop_column("passback_refuse_board")
    with op.batch_alter_table("badge", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_badge_port_call_id_port_call"), type_="foreignkey")
        batch_op.drop_column("port_call_id")
