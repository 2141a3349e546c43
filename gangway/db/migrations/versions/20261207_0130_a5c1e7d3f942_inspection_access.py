"""inspection accesses for a port state control officer (issue 19 point 4)

Revision ID: a5c1e7d3f942
Revises: a1d5e7c3b9f2
Create Date: 2026-12-07 01:30:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "a5c1e7d3f942"
# Chained after main's head when this branch last merged main (the lead re-chains at merge).
down_revision = "a1d5e7c3b9f2"
branch_labels = None
depends_on = None

UTC_TIME = gangway.db.types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "inspection_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.Column("officer", sa.String(length=120), nullable=True),
        sa.Column("issued_at", UTC_TIME, nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("link_used_at", UTC_TIME, nullable=True),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["user.id"], name=op.f("fk_inspection_access_issued_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["user.id"], name=op.f("fk_inspection_access_revoked_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_access")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_inspection_access_code_hash")),
        sa.UniqueConstraint("link_hash", name=op.f("uq_inspection_access_link_hash")),
    )


def downgrade():
    op.drop_table("inspection_access")
