"""fleet watch list and facility records: the CSO's list ashore, its entries on board (source
fleet), the version a ship holds; ashore, each ship's records as they stand (issue 17 points 5, 6)

Revision ID: b9e4f2a7c3d1
Revises: a5c1e7d3f942
Create Date: 2026-12-07 01:30:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "b9e4f2a7c3d1"
down_revision = "a5c1e7d3f942"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "fleet_watch_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=True),
        sa.Column("given_names", sa.String(length=120), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.Column("created_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("removed_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_fleet_watch_entry_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["user.id"], name=op.f("fk_fleet_watch_entry_removed_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_watch_entry")),
    )
    op.create_index("ix_fleet_watch_entry_version", "fleet_watch_entry", ["version"])
    op.create_index(
        "ix_fleet_watch_entry_removed_version", "fleet_watch_entry", ["removed_version"]
    )
    with op.batch_alter_table("watch_list_entry") as batch:
        batch.add_column(
            sa.Column("source", sa.String(length=8), server_default="ship", nullable=False)
        )
        batch.add_column(sa.Column("fleet_entry_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch.create_index(
            batch.f("ix_watch_list_entry_fleet_entry_id"), ["fleet_entry_id"], unique=False
        )
    with op.batch_alter_table("shore_link") as batch:
        batch.add_column(
            sa.Column("fleet_watch_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "shore_record",
        sa.Column("ship_id", sa.Integer(), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("port_call_id", sa.BigInteger(), nullable=True),
        sa.Column("facility_key", sa.String(length=120), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ship_id"], ["shore_ship.id"], name=op.f("fk_shore_record_ship_id_shore_ship")
        ),
        sa.PrimaryKeyConstraint(
            "ship_id", "record_table", "record_id", name=op.f("pk_shore_record")
        ),
    )
    op.create_index(
        "ix_shore_record_call", "shore_record", ["ship_id", "record_table", "port_call_id"]
    )
    op.create_index("ix_shore_record_facility", "shore_record", ["record_table", "facility_key"])


def downgrade():
    op.drop_index("ix_shore_record_facility", table_name="shore_record")
    op.drop_index("ix_shore_record_call", table_name="shore_record")
    op.drop_table("shore_record")
    with op.batch_alter_table("shore_link") as batch:
        batch.drop_column("fleet_watch_version")
    with op.batch_alter_table("watch_list_entry") as batch:
        batch.drop_index(batch.f("ix_watch_list_entry_fleet_entry_id"))
        batch.drop_column("date_of_birth")
        batch.drop_column("fleet_entry_id")
        batch.drop_column("source")
    op.drop_index("ix_fleet_watch_entry_removed_version", table_name="fleet_watch_entry")
    op.drop_index("ix_fleet_watch_entry_version", table_name="fleet_watch_entry")
    op.drop_table("fleet_watch_entry")
