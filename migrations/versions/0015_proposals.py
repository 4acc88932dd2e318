"""proposals: the leadership role; explanations; staff categories; responses apart from rating levels

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 07:00:00.000000

"""
import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
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
    # A staff category from the directory, or as the admin set it (intranet/categories.py).
    op.add_column('employee', sa.Column('category_from_directory', sa.String(length=20), nullable=True))
    op.add_column('employee', sa.Column('category_set_by_admin', sa.String(length=20), nullable=True))
    # appraisal_outcome becomes the responses the admin maintains: valid dates, categories,
    # points on the Decree 335/2025 scale. The four rating levels are retired: a head proposes
    # a response, the rating is decided by the leadership or the council.
    op.add_column('appraisal_outcome', sa.Column('valid_from', sa.Date(), nullable=True))
    op.add_column('appraisal_outcome', sa.Column('valid_to', sa.Date(), nullable=True))
    op.add_column('appraisal_outcome', sa.Column(
        'categories', sa.String(length=100), server_default='cong_chuc,vien_chuc,nguoi_lao_dong', nullable=False))
    op.add_column('appraisal_outcome', sa.Column('points', sa.Integer(), nullable=True))
    outcome = sa.table('appraisal_outcome', sa.column('code', sa.String), sa.column('label', sa.String),
                       sa.column('position', sa.Integer), sa.column('active', sa.Boolean),
                       sa.column('valid_from', sa.Date), sa.column('valid_to', sa.Date),
                       sa.column('categories', sa.String), sa.column('points', sa.Integer))
    op.execute(outcome.update().where(outcome.c.code.like('rating_%')).values(
        active=False, valid_to=sa.literal(datetime.date(2025, 12, 31))))
    op.bulk_insert(outcome, [
        {'code': 'reminder', 'label': 'Nhắc nhở', 'position': 8, 'active': True, 'valid_from': None,
         'valid_to': None, 'categories': 'cong_chuc,vien_chuc,nguoi_lao_dong', 'points': None},
        {'code': 'deduct_5_points', 'label': 'Trừ 5 điểm (thang 100 điểm, Nghị định 335/2025/NĐ-CP)',
         'position': 9, 'active': True, 'valid_from': datetime.date(2026, 1, 1), 'valid_to': None,
         'categories': 'cong_chuc', 'points': -5},
    ])
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
    op.execute("DELETE FROM appraisal_outcome WHERE code IN ('reminder', 'deduct_5_points')")
    op.execute("UPDATE appraisal_outcome SET active = TRUE WHERE code LIKE 'rating_%'")
    for column in ('points', 'categories', 'valid_to', 'valid_from'):
        op.drop_column('appraisal_outcome', column)
    op.drop_column('employee', 'category_set_by_admin')
    op.drop_column('employee', 'category_from_directory')
    op.drop_index(op.f('ix_explanation_employee_id'), table_name='explanation')
    op.drop_table('explanation')
    op.drop_column('employee', 'is_leader')
