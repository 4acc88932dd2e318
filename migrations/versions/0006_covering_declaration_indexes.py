"""declaration indexes that answer the compliance figures on their own

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # With the status in the index, the standing declaration at a moment is read from the
    # index alone (no table row per person), and the declarations of a span of months are
    # one range scan. Each replaces a narrower index it starts with. Plain CREATE/DROP
    # INDEX, not a batch: rebuilding the table on SQLite would drop its append-only triggers.
    op.create_index('ix_declaration_standing_status', 'declaration',
                    ['employee_id', 'declared_at', 'id', 'status'], unique=False)
    op.create_index('ix_declaration_moment', 'declaration',
                    ['declared_at', 'employee_id', 'id', 'status'], unique=False)
    op.drop_index('ix_declaration_standing', table_name='declaration')
    op.drop_index('ix_declaration_employee_id', table_name='declaration')
    op.drop_index('ix_declaration_declared_at', table_name='declaration')


def downgrade():
    op.create_index('ix_declaration_declared_at', 'declaration', ['declared_at'], unique=False)
    op.create_index('ix_declaration_employee_id', 'declaration', ['employee_id'], unique=False)
    op.create_index('ix_declaration_standing', 'declaration', ['employee_id', 'declared_at', 'id'], unique=False)
    op.drop_index('ix_declaration_moment', table_name='declaration')
    op.drop_index('ix_declaration_standing_status', table_name='declaration')
