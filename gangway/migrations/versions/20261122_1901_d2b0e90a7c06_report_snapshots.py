"""report snapshots at port call close

Revision ID: d2b0e90a7c06
Revises: d1a0c0a11e05
Create Date: 2026-11-22 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import gangway.dbtypes


# revision identifiers, used by Alembic.
revision = 'd2b0e90a7c06'
down_revision = 'd1a0c0a11e05'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
