"""chain the ship row and the stored report copies

No schema change: this revision marks the version that added the ship (its level and the
plan's measures that every scan reads) and report_snapshot (the recorded hashes of stored
report copies) to the audit chain (gangway.domain.records.chained_tables.CHAINED_LATER). `gangway
init-db` adopts the rows those tables hold when its upgrade passes this revision; after a plain
`flask db upgrade`, `gangway adopt-records` adopts them (only them: the other tables were
chained before).

Revision ID: b8c4e2f1a710
Revises: a9d3e5f70b12
Create Date: 2026-12-06 17:10:00

"""

# revision identifiers, used by Alembic.
revision = "b8c4e2f1a710"
down_revision = "a9d3e5f70b12"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
