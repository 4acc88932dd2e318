"""proposals: the leadership role

Revision ID: 0015
Revises: 0011
Create Date: 2026-11-28 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Members of LDAP_LEADERSHIP_GROUP propose on notices about heads and leaders.
    # A plain ADD COLUMN: a batch copy of employee on SQLite would drop its triggers.
    op.add_column('employee', sa.Column('is_leader', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('employee', 'is_leader')
