"""each employee's latest VNeID status, kept by a trigger

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# Frozen as run on 25/11/2026 (intranet/database/latest_status.py then): the latest
# declaration by time, ties to the highest id.
_SET_LATEST = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = NEW.employee_id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1) "
    "WHERE id = NEW.employee_id"
)
BACKFILL = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = employee.id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1)"
)
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER declaration_sets_latest_status AFTER INSERT ON declaration "
        f"BEGIN {_SET_LATEST}; END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION declaration_sets_latest_status() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_SET_LATEST}; RETURN NULL; END $$",
        "CREATE TRIGGER declaration_sets_latest_status AFTER INSERT ON declaration "
        "FOR EACH ROW EXECUTE FUNCTION declaration_sets_latest_status()",
    ],
}
DROPS = {
    "sqlite": ["DROP TRIGGER IF EXISTS declaration_sets_latest_status"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS declaration_sets_latest_status ON declaration",
        "DROP FUNCTION IF EXISTS declaration_sets_latest_status()",
    ],
}


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
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_index('ix_employee_roster_status', table_name='employee')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('vneid_status')
