"""employee.vneid_status guarded: only the latest declaration's status may stand in it

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 06:00:00.000000

A direct UPDATE could set any status on an employee row (a never-declared person then counted
as level 2 in the current month's figures). A guard now refuses any value but the status of
the person's latest declaration, on INSERT and UPDATE. The copy trigger of 0007 is rebuilt
from the one definition of "the latest declaration" (intranet/timelines.py) as compiled that
day: the same rule (latest time, then highest id) in the same words as the guard.
Frozen as run on 28/11/2026.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Rewrites every copy from the history: a value forged before the guard does not survive it.
REPAIR = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = employee.id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1)"
)

UPGRADE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS declaration_sets_latest_status",
        'CREATE TRIGGER declaration_sets_latest_status AFTER INSERT ON declaration BEGIN UPDATE employee SET vneid_status = (SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1 OFFSET 0) WHERE id = NEW.employee_id; END',
        "CREATE TRIGGER employee_latest_status_guard_insert BEFORE INSERT ON employee WHEN NEW.vneid_status IS NOT (SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.id ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1 OFFSET 0) BEGIN SELECT RAISE(ABORT, 'employee.vneid_status is written by the database only'); END",
        "CREATE TRIGGER employee_latest_status_guard_update BEFORE UPDATE OF vneid_status ON employee WHEN NEW.vneid_status IS NOT (SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.id ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1 OFFSET 0) BEGIN SELECT RAISE(ABORT, 'employee.vneid_status is written by the database only'); END",
    ],
    "postgresql": [
        'CREATE OR REPLACE FUNCTION declaration_sets_latest_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE employee SET vneid_status = (SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1) WHERE id = NEW.employee_id; RETURN NULL; END $$',
        "CREATE OR REPLACE FUNCTION employee_latest_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.vneid_status IS DISTINCT FROM (SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.id ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1) THEN RAISE EXCEPTION 'employee.vneid_status is written by the database only'; END IF; RETURN NEW; END $$",
        'CREATE TRIGGER employee_latest_status_guard BEFORE INSERT OR UPDATE OF vneid_status ON employee FOR EACH ROW EXECUTE FUNCTION employee_latest_status_guard()',
    ],
}

# 0007's copy trigger, as it was.
_SET_LATEST_0007 = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = NEW.employee_id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1) "
    "WHERE id = NEW.employee_id"
)
DOWNGRADE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS employee_latest_status_guard_insert",
        "DROP TRIGGER IF EXISTS employee_latest_status_guard_update",
        "DROP TRIGGER IF EXISTS declaration_sets_latest_status",
        "CREATE TRIGGER declaration_sets_latest_status AFTER INSERT ON declaration "
        f"BEGIN {_SET_LATEST_0007}; END",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS employee_latest_status_guard ON employee",
        "DROP FUNCTION IF EXISTS employee_latest_status_guard()",
        "CREATE OR REPLACE FUNCTION declaration_sets_latest_status() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_SET_LATEST_0007}; RETURN NULL; END $$",
    ],
}


def upgrade():
    op.execute(REPAIR)
    for statement in UPGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DOWNGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
