"""plan revisions: the gangway measures and open access points as they stood, for late checks

Creates plan_revision and records the plan as it stands at the upgrade, so that a check sent
late is judged under the plan of its time from now on (before the upgrade: as at the upgrade).
`gangway init-db` adopts that row into the audit chain (chained_tables.CHAINED_LATER).

Revision ID: d6f1a2b3c410
Revises: d5e0c4a1b209
Create Date: 2026-11-23 01:00:00

"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "d6f1a2b3c410"
down_revision = "d5e0c4a1b209"
branch_labels = None
depends_on = None

MEASURES = (
    "embarkation_suspended",
    "disembarkation_suspended",
    "search_percent_1",
    "search_percent_2",
    "search_percent_3",
    "search_crew",
    "escort_ratio",
    "escorted_kinds",
)


def upgrade():
    plan_revision = op.create_table(
        "plan_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("embarkation_suspended", sa.Boolean(), nullable=False),
        sa.Column("disembarkation_suspended", sa.Boolean(), nullable=False),
        sa.Column("search_percent_1", sa.Integer(), nullable=False),
        sa.Column("search_percent_2", sa.Integer(), nullable=False),
        sa.Column("search_percent_3", sa.Integer(), nullable=False),
        sa.Column("search_crew", sa.Boolean(), nullable=False),
        sa.Column("escort_ratio", sa.Integer(), nullable=False),
        sa.Column("escorted_kinds", sa.String(length=100), nullable=False),
        sa.Column("open_points", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_revision")),
    )
    with op.batch_alter_table("plan_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_revision_recorded_at"), ["recorded_at"], unique=False
        )

    bind = op.get_bind()
    ship = bind.execute(
        sa.text(f"SELECT {', '.join(MEASURES)} FROM ship ORDER BY id LIMIT 1")
    ).first()
    if ship is None:  # a new database: the first plan saved records itself
        return
    points = bind.execute(
        sa.text("SELECT code, open_at_1, open_at_2, open_at_3 FROM access_point WHERE is_enabled")
    ).all()
    open_points = {p.code: "".join("1" if p[n] else "0" for n in (1, 2, 3)) for p in points}
    op.bulk_insert(
        plan_revision,
        [
            {
                "recorded_at": datetime.now(UTC),
                "open_points": json.dumps(open_points, sort_keys=True, separators=(",", ":")),
                **{name: getattr(ship, name) for name in MEASURES},
            }
        ],
    )


def downgrade():
    with op.batch_alter_table("plan_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_revision_recorded_at"))

    op.drop_table("plan_revision")
