"""each employee's immutable directory id (entryUUID, objectGUID)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable and without a batch: existing staff get their id at the next sync (matched
    # by username once, by id from then on), and employee's triggers stay as they are.
    op.add_column('employee', sa.Column('directory_id', sa.String(length=64), nullable=True))
    op.create_index('ix_employee_directory_id', 'employee', ['directory_id'], unique=True)


def downgrade():
    op.drop_index('ix_employee_directory_id', table_name='employee')
    # A plain DROP COLUMN (SQLite 3.35+): a batch would rebuild employee under the
    # triggers of other tables that name it, which SQLite then refuses.
    op.execute('ALTER TABLE employee DROP COLUMN directory_id')
