"""proposals: the leadership role; explanations

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

# explanation is append-only like the other records (the function exists since 0003).
APPEND_ONLY = {
    'sqlite': [
        "CREATE TRIGGER explanation_no_update BEFORE UPDATE ON explanation "
        "BEGIN SELECT RAISE(ABORT, 'explanation is append-only'); END",
        "CREATE TRIGGER explanation_no_delete BEFORE DELETE ON explanation "
        "BEGIN SELECT RAISE(ABORT, 'explanation is append-only'); END",
    ],
    'postgresql': [
        "CREATE TRIGGER explanation_append_only BEFORE UPDATE OR DELETE ON explanation "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()",
    ],
}


def upgrade():
    # Members of LDAP_LEADERSHIP_GROUP propose on notices about heads and leaders.
    # A plain ADD COLUMN: a batch copy of employee on SQLite would drop its triggers.
    op.add_column('employee', sa.Column('is_leader', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'explanation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_from', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_explanation_employee_id_employee')),
        sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_explanation_notice_id_notice')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_explanation')),
        sa.UniqueConstraint('notice_id', name=op.f('uq_explanation_notice_id')),
    )
    op.create_index(op.f('ix_explanation_employee_id'), 'explanation', ['employee_id'], unique=False)
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    op.drop_index(op.f('ix_explanation_employee_id'), table_name='explanation')
    op.drop_table('explanation')
    op.drop_column('employee', 'is_leader')
