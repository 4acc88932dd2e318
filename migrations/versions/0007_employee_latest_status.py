"""each employee's latest VNeID status, kept by a trigger

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

from intranet.database.latest_status import BACKFILL, drop_statements, trigger_statements


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # add_column and create_index without a batch: rebuilding employee on SQLite is not
    # needed for a nullable column, and the declarations' triggers stay as they are.
    op.add_column('employee', sa.Column('vneid_status', sa.String(length=32), nullable=True))
    op.create_index('ix_employee_roster_status', 'employee',
                    ['unit_id', 'vneid_status', 'created_at', 'left_at'], unique=False)
    op.execute(BACKFILL)
    for statement in trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_employee_roster_status', table_name='employee')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('vneid_status')
