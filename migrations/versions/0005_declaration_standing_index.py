"""index for the declaration standing at a moment

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:55:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Each person's latest declaration by a month's end is one seek in this index
    # (intranet/compliance/queries.py, _staff_at). A plain CREATE INDEX, not a batch:
    # rebuilding the table on SQLite would drop its append-only triggers.
    op.create_index('ix_declaration_standing', 'declaration', ['employee_id', 'declared_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_declaration_standing', table_name='declaration')
