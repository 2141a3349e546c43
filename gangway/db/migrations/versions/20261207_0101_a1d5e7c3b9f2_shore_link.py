"""shore_link: the ship's link to the fleet server ashore and the head it acknowledged

Revision ID: a1d5e7c3b9f2
Revises: e7d2c9a4f1b3
Create Date: 2026-12-07 01:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "a1d5e7c3b9f2"
down_revision = "e7d2c9a4f1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shore_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("token", sa.String(length=200), nullable=True),
        sa.Column("allow_http", sa.Boolean(), nullable=False),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.Column("acked_hash", sa.String(length=64), nullable=True),
        sa.Column("last_contact_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("diverged_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shore_link")),
    )


def downgrade():
    op.drop_table("shore_link")
