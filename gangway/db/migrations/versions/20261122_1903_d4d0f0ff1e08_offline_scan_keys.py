"""offline scan idempotency keys

Revision ID: d4d0f0ff1e08
Revises: d3c0a0d17c07
Create Date: 2026-11-22 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "d4d0f0ff1e08"
down_revision = "d3c0a0d17c07"
branch_labels = None
depends_on = None

TABLES = ("movement", "refusal")


def upgrade():
    # All nullable: existing rows were decided online (no key, no provisional verdict).
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("client_key", sa.String(length=36), nullable=True))
            batch_op.add_column(
                sa.Column("received_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True)
            )
            batch_op.add_column(sa.Column("offline_verdict", sa.String(length=8), nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_client_key"), ["client_key"])


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_client_key"), type_="unique")
            batch_op.drop_column("offline_verdict")
            batch_op.drop_column("received_at")
            batch_op.drop_column("client_key")
