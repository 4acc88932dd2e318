"""who was on the staff of which unit, when

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# Frozen as run on 25/11/2026 (intranet/database/roster.py and append_only.py then).
_COLUMNS = "roster_entry (employee_id, unit_id, on_staff, at)"
# A move or a return is known from the sync that saw it (synced_at); a departure has its time.
_CHANGED_AT = "COALESCE(NEW.left_at, NEW.synced_at)"
BACKFILL = [
    f"INSERT INTO {_COLUMNS} SELECT id, unit_id, true, created_at FROM employee",
    f"INSERT INTO {_COLUMNS} SELECT id, unit_id, false, left_at FROM employee "
    "WHERE left_at IS NOT NULL",
]
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER roster_entry_no_update BEFORE UPDATE ON roster_entry "
        "BEGIN SELECT RAISE(ABORT, 'roster_entry is append-only'); END",
        "CREATE TRIGGER roster_entry_no_delete BEFORE DELETE ON roster_entry "
        "BEGIN SELECT RAISE(ABORT, 'roster_entry is append-only'); END",
        "CREATE TRIGGER employee_roster_insert AFTER INSERT ON employee BEGIN "
        f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, 1, NEW.created_at); "
        f"INSERT INTO {_COLUMNS} SELECT NEW.id, NEW.unit_id, 0, NEW.left_at "
        "WHERE NEW.left_at IS NOT NULL; END",
        "CREATE TRIGGER employee_roster_update AFTER UPDATE OF unit_id, left_at ON employee "
        "WHEN OLD.unit_id IS NOT NEW.unit_id OR (OLD.left_at IS NULL) <> (NEW.left_at IS NULL) "
        f"BEGIN INSERT INTO {_COLUMNS} "
        f"VALUES (NEW.id, NEW.unit_id, NEW.left_at IS NULL, {_CHANGED_AT}); END",
    ],
    "postgresql": [
        # refuse_change_append_only() is 0003's.
        "CREATE TRIGGER roster_entry_append_only BEFORE UPDATE OR DELETE ON roster_entry "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()",
        "CREATE OR REPLACE FUNCTION employee_roster() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, true, NEW.created_at); "
        "IF NEW.left_at IS NOT NULL THEN "
        f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, false, NEW.left_at); "
        "END IF; "
        "ELSIF OLD.unit_id IS DISTINCT FROM NEW.unit_id "
        "OR (OLD.left_at IS NULL) <> (NEW.left_at IS NULL) THEN "
        f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, NEW.left_at IS NULL, {_CHANGED_AT}); "
        "END IF; RETURN NULL; END $$",
        "CREATE TRIGGER employee_roster AFTER INSERT OR UPDATE OF unit_id, left_at ON employee "
        "FOR EACH ROW EXECUTE FUNCTION employee_roster()",
    ],
}
DROPS = {
    "sqlite": ["DROP TRIGGER IF EXISTS employee_roster_insert",
               "DROP TRIGGER IF EXISTS employee_roster_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS employee_roster ON employee",
                   "DROP FUNCTION IF EXISTS employee_roster()"],
}


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
    for statement in BACKFILL:
        op.execute(statement)
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_index('ix_roster_entry_standing', table_name='roster_entry')
    op.drop_index('ix_roster_entry_moment', table_name='roster_entry')
    op.drop_table('roster_entry')
