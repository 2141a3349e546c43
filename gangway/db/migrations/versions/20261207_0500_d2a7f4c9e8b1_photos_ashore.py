"""photos ashore: the photos the SSO sent (issue 17 point 2), kept by the shore, and the ship's
mark of the last one uploaded

Revision ID: d2a7f4c9e8b1
Revises: c4f8a2d6e1b7
Create Date: 2026-12-07 05:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "d2a7f4c9e8b1"
down_revision = "c4f8a2d6e1b7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shore_photo",
        sa.Column("ship_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("photo", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ship_id"], ["shore_ship.id"], name=op.f("fk_shore_photo_ship_id_shore_ship")
        ),
        sa.PrimaryKeyConstraint("ship_id", "person_id", "photo", name=op.f("pk_shore_photo")),
    )
    with op.batch_alter_table("shore_link") as batch:
        batch.add_column(sa.Column("photos_seq", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("shore_link") as batch:
        batch.drop_column("photos_seq")
    op.drop_table("shore_photo")
