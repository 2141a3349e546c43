"""fleet search: each shore record's name words and document number, indexed (issue 17 point 4)

Revision ID: c4f8a2d6e1b7
Revises: c4d8e1f2a905
Create Date: 2026-12-07 04:00:00

Records held before this revision get their keys from `gangway shore project` (run once after
the upgrade): it projects the entries again, and the upsert writes the new columns.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "c4f8a2d6e1b7"
down_revision = "c4d8e1f2a905"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("shore_record") as batch:
        batch.add_column(
            sa.Column(
                "name_words", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True
            )
        )
        batch.add_column(sa.Column("document_key", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_shore_record_name_words", "shore_record", ["name_words"], postgresql_using="gin"
    )
    op.create_index("ix_shore_record_document_key", "shore_record", ["document_key"])


def downgrade():
    op.drop_index("ix_shore_record_document_key", table_name="shore_record")
    op.drop_index("ix_shore_record_name_words", table_name="shore_record")
    with op.batch_alter_table("shore_record") as batch:
        batch.drop_column("document_key")
        batch.drop_column("name_words")
