"""login sessions: a browser login lives on the server, so logging out ends a saved cookie

Not chained (it decides no scan and shows in no report). user.failed_logins and
user.locked_until stay in the table but nothing reads them any more: logins slow down per
account and client in memory (gangway/web/login_throttle.py) and never lock an account.

Revision ID: b7c1d2e3f413
Revises: f3b1c2d4e5a6
Create Date: 2026-12-06 17:13:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "b7c1d2e3f413"
down_revision = "f3b1c2d4e5a6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("started_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_login_session_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_user_id"))
    op.drop_table("login_session")
