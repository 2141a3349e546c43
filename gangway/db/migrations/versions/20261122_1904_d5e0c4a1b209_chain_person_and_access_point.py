"""chain person and access_point rows

No schema change: this revision marks the version that added the person and access_point
tables to the audit chain (gangway.domain.records.chained_tables.CHAINED_LATER). `gangway init-db`
adopts the rows those tables already hold when its upgrade passes this revision; a plain
`flask db upgrade` does not (run `gangway adopt-records` after it).

Revision ID: d5e0c4a1b209
Revises: d4d0f0ff1e08
Create Date: 2026-11-22 19:04:00

"""

# revision identifiers, used by Alembic.
revision = "d5e0c4a1b209"
down_revision = "d4d0f0ff1e08"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
