"""badge port call and anti-passback per kind: a visitor badge ends with its call; the plan
refuses boarding twice per kind of person

Adds badge.port_call_id (the port call a temporary badge was issued for: it is refused as
expired once that call is closed, B/9.11 temporary identification) and, on ship and
plan_revision, passback_refuse_board and passback_refuse_depart (comma-separated kinds of
person refused boarding while recorded aboard, or leaving while not). The new default refuses
boarding twice for every kind and flags leaving twice; it is written to the ship and to the
plan revisions alike (the ship and its recorded plan agree). Before this revision boarding twice
was always flagged: a check made before the upgrade and sent late after it is judged by the new
setting. Existing badges get no port call (they keep the dates they were issued with): which
call a badge was issued for was not recorded, and guessing it from the issue time could revoke a
long-term badge issued during a call.

Revision ID: f3b1c2d4e5a6
Revises: a9d3e5f70b12
Create Date: 2026-12-06 17:12:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b1c2d4e5a6'
down_revision = 'a9d3e5f70b12'
branch_labels = None
depends_on = None

BOARD = "crew,passenger,visitor,contractor,authority"


def upgrade():
    with op.batch_alter_table('badge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('port_call_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_badge_port_call_id_port_call'), 'port_call', ['port_call_id'], ['id']
        )
    for table in ('ship', 'plan_revision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(
                'passback_refuse_board', sa.String(length=100), nullable=False,
                server_default=BOARD,
            ))
            batch_op.add_column(sa.Column(
                'passback_refuse_depart', sa.String(length=100), nullable=False,
                server_default='',
            ))


def downgrade():
    for table in ('plan_revision', 'ship'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('passback_refuse_depart')
            batch_op.drop_column('passback_refuse_board')
    with op.batch_alter_table('badge', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_badge_port_call_id_port_call'), type_='foreignkey')
        batch_op.drop_column('port_call_id')
