"""ship particulars and certificate, ship-to-ship activities (issue 19: the Security Report)

Revision ID: e19a5c3d7b21
Revises: c4a7e9d2b1f0
Create Date: 2026-12-07 01:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "e19a5c3d7b21"
down_revision = "c4a7e9d2b1f0"
branch_labels = None
depends_on = None

UTC_TIME = gangway.db.types.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "ship_particulars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imo_number", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("port_of_registry", sa.String(length=120), nullable=False),
        sa.Column("flag_state", sa.String(length=64), nullable=False),
        sa.Column("ship_type", sa.String(length=64), nullable=False),
        sa.Column("call_sign", sa.String(length=16), nullable=False),
        sa.Column("inmarsat_numbers", sa.String(length=120), nullable=True),
        sa.Column("gross_tonnage", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=120), nullable=False),
        sa.Column("company_imo_number", sa.String(length=7), nullable=False),
        sa.Column("cso_name", sa.String(length=120), nullable=False),
        sa.Column("cso_contact", sa.String(length=200), nullable=False),
        sa.Column("certificate_kind", sa.String(length=8), nullable=False),
        sa.Column("certificate_issuer", sa.String(length=120), nullable=False),
        sa.Column("certificate_expires_on", sa.Date(), nullable=False),
        sa.Column("ssp_approved_on_board", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_ship_particulars_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ship_particulars")),
    )
    with op.batch_alter_table("ship_particulars", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ship_particulars_recorded_at"), ["recorded_at"], unique=False
        )
    op.create_table(
        "sts_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("other_ship_name", sa.String(length=120), nullable=False),
        sa.Column("other_ship_imo", sa.String(length=7), nullable=True),
        sa.Column("other_ship_flag", sa.String(length=64), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("procedures_maintained", sa.Boolean(), nullable=False),
        sa.Column("declaration", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_sts_activity_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sts_activity")),
    )
    with op.batch_alter_table("sts_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sts_activity_started_at"), ["started_at"], unique=False)


def downgrade():
    with op.batch_alter_table("sts_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sts_activity_started_at"))
    op.drop_table("sts_activity")
    with op.batch_alter_table("ship_particulars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ship_particulars_recorded_at"))
    op.drop_table("ship_particulars")
