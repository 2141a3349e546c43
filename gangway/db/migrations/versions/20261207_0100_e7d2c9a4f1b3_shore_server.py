"""shore server: the fleet's ships, each ship's chain as held ashore, refused batches

Revision ID: e7d2c9a4f1b3
Revises: e19a5c3d7b21 (main's head when h/shore merged main; written on c4a7e9d2b1f0)
Create Date: 2026-12-07 01:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "e7d2c9a4f1b3"
down_revision = "e19a5c3d7b21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shore_ship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imo", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("added_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("head_recorded_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("chain_status", sa.String(length=16), nullable=False),
        sa.Column("diverged_at", sa.BigInteger(), nullable=True),
        sa.Column("last_contact_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shore_ship")),
        sa.UniqueConstraint("imo", name=op.f("uq_shore_ship_imo")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_shore_ship_token_hash")),
    )
    op.create_table(
        "shore_entry",
        sa.Column("ship_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.BigInteger(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("received_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ship_id"], ["shore_ship.id"], name=op.f("fk_shore_entry_ship_id_shore_ship")
        ),
        sa.PrimaryKeyConstraint("ship_id", "seq", name=op.f("pk_shore_entry")),
    )
    op.create_table(
        "shore_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ship_id", sa.Integer(), nullable=False),
        sa.Column("received_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ship_id"], ["shore_ship.id"], name=op.f("fk_shore_quarantine_ship_id_shore_ship")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shore_quarantine")),
    )
    with op.batch_alter_table("shore_quarantine", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shore_quarantine_ship", ["ship_id", "received_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("shore_quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_shore_quarantine_ship")
    op.drop_table("shore_quarantine")
    op.drop_table("shore_entry")
    op.drop_table("shore_ship")
