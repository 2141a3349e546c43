"""user must change password: set when the admin chose it, cleared when the user picks their own

The user table is chained: digests cover the columns a row had when its entry was written
(audit_field_set), so existing entries stay valid and the next change of a user is chained
with the new column.

Revision ID: a9d3e5f70b12
Revises: e1a2b3c4d5e6
Create Date: 2026-11-24 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9d3e5f70b12"
down_revision = "e1a2b3c4d5e6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
