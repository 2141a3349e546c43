"""offline packs on record, device tokens: late scans are judged with the pack the tablet held

Each pack handed to a tablet is a chained row (offline_pack.issued); an API token the admin
marks as a device may send late scans. api_token is chained: digests cover the columns a row
had when its entry was written (audit_field_set), so existing entries stay valid.

Revision ID: b7c4d1e2f311
Revises: b8c4e2f1a710
Create Date: 2026-12-06 19:10:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "b7c4d1e2f311"
down_revision = "b8c4e2f1a710"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offline_pack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_key", sa.String(length=36), nullable=False),
        sa.Column("issued_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["api_token_id"], ["api_token.id"], name=op.f("fk_offline_pack_api_token_id_api_token")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_offline_pack_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_pack")),
        sa.UniqueConstraint("pack_key", name=op.f("uq_offline_pack_pack_key")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_device", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("is_device")
    op.drop_table("offline_pack")
