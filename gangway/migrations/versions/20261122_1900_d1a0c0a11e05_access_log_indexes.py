"""access log indexes

Revision ID: d1a0c0a11e05
Revises: cc5b9998ccf9
Create Date: 2026-11-22 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import gangway.dbtypes


# revision identifiers, used by Alembic.
revision = 'd1a0c0a11e05'
down_revision = 'cc5b9998ccf9'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
