"""report snapshots at port call close

Revision ID: d2b0e90a7c06
Revises: d1a0c0a11e05
Create Date: 2026-11-22 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "d2b0e90a7c06"
down_revision = "d1a0c0a11e05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("port_call_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("requested_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("generated_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("csv_sha256", sa.String(length=64), nullable=True),
        sa.Column("html_sha256", sa.String(length=64), nullable=True),
        sa.Column("mailed_to", sa.String(length=400), nullable=True),
        sa.Column("mail_error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["port_call_id"],
            ["port_call.id"],
            name=op.f("fk_report_snapshot_port_call_id_port_call"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshot")),
    )
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_snapshot_port_call_id"), ["port_call_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_snapshot_port_call_id"))

    op.drop_table("report_snapshot")
