"""sort keys compare byte by byte on PostgreSQL (COLLATE "C")

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:50:00

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

COLUMNS = (("unit", "sort_key"), ("employee", "sort_key"), ("issuing_body", "sort_key"))


def upgrade():
    # SQLite already compares text byte by byte; only PostgreSQL applies a locale's collation.
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE text COLLATE "C"')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE text COLLATE "default"')
