"""who was on the staff of which unit, when

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from intranet.database import append_only, roster


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('on_staff', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_roster_entry_employee_id_employee')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_roster_entry_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entry'))
    )
    op.create_index('ix_roster_entry_moment', 'roster_entry', ['at', 'employee_id', 'id', 'unit_id', 'on_staff'], unique=False)
    op.create_index('ix_roster_entry_standing', 'roster_entry', ['employee_id', 'at', 'id', 'unit_id', 'on_staff'], unique=False)
    # What is known so far: each person on the staff of their current unit from their first
    # sync, and off it from when they left. Earlier moves and absences were not recorded.
    for statement in roster.BACKFILL:
        op.execute(statement)
    dialect = op.get_bind().dialect.name
    for statement in (*append_only.trigger_statements('roster_entry', dialect),
                      *roster.trigger_statements(dialect)):
        op.execute(statement)


def downgrade():
    for statement in roster.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index('ix_roster_entry_standing', table_name='roster_entry')
    op.drop_index('ix_roster_entry_moment', table_name='roster_entry')
    op.drop_table('roster_entry')
