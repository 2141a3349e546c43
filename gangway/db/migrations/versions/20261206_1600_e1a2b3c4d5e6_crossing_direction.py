"""crossing direction: one-way access points, and whether the crew board at level 3

Adds access_point.one_way (B/9.14.5: a point for embarking or disembarking only; NULL: both),
ship.crew_board_at_level_3 and the same on plan_revision (B/9.17.2; true: as the ship did
before, except that the crew were refused at level 3 unless marked as responders).

Revision ID: e1a2b3c4d5e6
Revises: d6f1a2b3c410
Create Date: 2026-12-06 16:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e1a2b3c4d5e6"
down_revision = "d6f1a2b3c410"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("access_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("one_way", sa.String(length=8), nullable=True))
    for table in ("ship", "plan_revision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "crew_board_at_level_3", sa.Boolean(), nullable=False, server_default=sa.true()
                )
            )


def downgrade():
    for table in ("plan_revision", "ship"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("crew_board_at_level_3")
    with op.batch_alter_table("access_point", schema=None) as batch_op:
        batch_op.drop_column("one_way")
