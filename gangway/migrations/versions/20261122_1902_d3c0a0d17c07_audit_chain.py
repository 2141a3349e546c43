"""audit chain

Revision ID: d3c0a0d17c07
Revises: d2b0e90a7c06
Create Date: 2026-11-22 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import gangway.dbtypes


# revision identifiers, used by Alembic.
revision = 'd3c0a0d17c07'
down_revision = 'd2b0e90a7c06'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
