"""record snapshots: who a person was at each movement and refusal, and renames as records

Adds to movement and refusal the person's family name, given names, kind, company and document
number (and to movement the escort's name) as they were when the record was written (ISPS A/10.3: a record is not amended later,
not even by renaming its person), and the chained table person_rename (old and new name).

Existing rows are backfilled from the person as they are now: the best that is known, since
the database kept no earlier names. Both tables are chained: their digests cover the columns a
row had when its entry was written (audit_field_set), so every existing entry still verifies;
records written from now on are chained with the new columns.

Revision ID: f15a0b1c2d3e
Revises: b7c1d2e3f413
Create Date: 2026-12-06 17:15:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "f15a0b1c2d3e"
down_revision = "b7c1d2e3f413"
branch_labels = None
depends_on = None

SNAPSHOT = (  # record column, person column, length
    ("person_family_name", "family_name", 120),
    ("person_given_names", "given_names", 120),
    ("person_kind", "kind", 16),
    ("person_company", "company", 120),
    ("person_document_number", "document_number", 64),
)

ESCORT = (  # movement column, person column, length: the escort's name
    ("escort_family_name", "family_name", 120),
    ("escort_given_names", "given_names", 120),
)


def upgrade():
    for table in ("movement", "refusal"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _, length in SNAPSHOT:
                batch_op.add_column(sa.Column(column, sa.String(length=length), nullable=True))
        # The person as they are now: earlier names were never kept.
        values = ", ".join(
            f"{column} = (SELECT person.{source} FROM person WHERE person.id = {table}.person_id)"
            for column, source, _ in SNAPSHOT
        )
        op.execute(f"UPDATE {table} SET {values} WHERE person_id IS NOT NULL")
    with op.batch_alter_table("movement", schema=None) as batch_op:
        for column, _, length in ESCORT:
            batch_op.add_column(sa.Column(column, sa.String(length=length), nullable=True))
    values = ", ".join(
        f"{column} = (SELECT person.{source} FROM person WHERE person.id = movement.escort_id)"
        for column, source, _ in ESCORT
    )
    op.execute(f"UPDATE movement SET {values} WHERE escort_id IS NOT NULL")
    # The log's name order counts records per person and recorded name off this index.
    op.drop_index("ix_movement_port_call_person", table_name="movement")
    op.create_index(
        "ix_movement_port_call_person",
        "movement",
        ["port_call_id", "person_id", "person_family_name", "person_given_names"],
        unique=False,
    )
    op.create_table(
        "person_rename",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("family_name_before", sa.String(length=120), nullable=False),
        sa.Column("given_names_before", sa.String(length=120), nullable=False),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("given_names", sa.String(length=120), nullable=False),
        sa.Column("renamed_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("renamed_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["renamed_by_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_rename", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_rename_person_id"), ["person_id"], unique=False)


def downgrade():
    with op.batch_alter_table("person_rename", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_rename_person_id"))
    op.drop_table("person_rename")
    op.drop_index("ix_movement_port_call_person", table_name="movement")
    op.create_index(
        "ix_movement_port_call_person", "movement", ["port_call_id", "person_id"], unique=False
    )
    with op.batch_alter_table("movement", schema=None) as batch_op:
        for column, _, _ in reversed(ESCORT):
            batch_op.drop_column(column)
    for table in ("refusal", "movement"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _, _ in reversed(SNAPSHOT):
                batch_op.drop_column(column)
