"""email reminders: the record of each send, and each employee's language

Revision ID: 0014
Revises: 0009
Create Date: 2026-11-28 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: batch mode could rebuild the table on SQLite, dropping its triggers.
    op.add_column('employee', sa.Column('language', sa.String(length=8), nullable=True))

    op.create_table('reminder_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_reminder_send_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_send')),
    # One reminder per person, reason and period: what makes a second run send nothing twice.
    sa.UniqueConstraint('employee_id', 'reason', 'period', name=op.f('uq_reminder_send_employee_id'))
    )
    op.create_index('ix_reminder_send_reason_period_status', 'reminder_send', ['reason', 'period', 'status'], unique=False)
    op.create_index(op.f('ix_reminder_send_claimed_at'), 'reminder_send', ['claimed_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_reminder_send_claimed_at'), table_name='reminder_send')
    op.drop_index('ix_reminder_send_reason_period_status', table_name='reminder_send')
    op.drop_table('reminder_send')
    op.drop_column('employee', 'language')  # SQLite 3.35+ drops a column in place
