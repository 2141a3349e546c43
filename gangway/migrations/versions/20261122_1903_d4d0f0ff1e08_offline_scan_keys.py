"""offline scan idempotency keys

Revision ID: d4d0f0ff1e08
Revises: d3c0a0d17c07
Create Date: 2026-11-22 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import gangway.dbtypes


# revision identifiers, used by Alembic.
revision = 'd4d0f0ff1e08'
down_revision = 'd3c0a0d17c07'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
