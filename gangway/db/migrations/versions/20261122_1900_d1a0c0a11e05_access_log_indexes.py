"""access log indexes

Revision ID: d1a0c0a11e05
Revises: cc5b9998ccf9
Create Date: 2026-11-22 19:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d1a0c0a11e05"
down_revision = "cc5b9998ccf9"
branch_labels = None
depends_on = None


def upgrade():
    # The PFSO's access log: pages in time order per port call, counts per person (the wider
    # index replaces the (port_call_id, occurred_at) one, which it starts with).
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.drop_index("ix_movement_port_call_occurred")
        batch_op.create_index(
            "ix_movement_port_call_log",
            ["port_call_id", "occurred_at", "id", "person_id", "direction"],
            unique=False,
        )
        batch_op.create_index(
            "ix_movement_port_call_person", ["port_call_id", "person_id"], unique=False
        )

    with op.batch_alter_table("refusal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refusal_port_call_log", ["port_call_id", "occurred_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("refusal", schema=None) as batch_op:
        batch_op.drop_index("ix_refusal_port_call_log")

    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.drop_index("ix_movement_port_call_person")
        batch_op.drop_index("ix_movement_port_call_log")
        batch_op.create_index(
            "ix_movement_port_call_occurred", ["port_call_id", "occurred_at"], unique=False
        )
