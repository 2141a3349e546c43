"""audit chain

Revision ID: d3c0a0d17c07
Revises: d2b0e90a7c06
Create Date: 2026-11-22 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "d3c0a0d17c07"
down_revision = "d2b0e90a7c06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_field_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_field_set")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("field_set_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_set_id"],
            ["audit_field_set.id"],
            name=op.f("fk_audit_entry_field_set_id_audit_field_set"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entry_record", ["record_table", "record_id", "seq"], unique=False
        )
    # Records already in the database get their entries from `gangway init-db` (adopt-records).


def downgrade():
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_record")

    op.drop_table("audit_entry")
    op.drop_table("audit_field_set")
