"""jobs: long work (downloads, imports) done by the worker processes, with a lease

Revision ID: c4a7e9d2b1f0
Revises: f15a0b1c2d3e
Create Date: 2026-12-06 20:30:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "c4a7e9d2b1f0"
down_revision = "f15a0b1c2d3e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("active_key", sa.String(length=200), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=40), nullable=True),
        sa.Column("claimed_until", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=120), nullable=True),
        sa.Column("mimetype", sa.String(length=60), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["user.id"], name=op.f("fk_job_requested_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("active_key", name=op.f("uq_job_active_key")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_status"))
        batch_op.drop_index(batch_op.f("ix_job_key"))
    op.drop_table("job")
