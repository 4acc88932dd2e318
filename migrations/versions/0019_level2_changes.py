"""level2_change: the declarations that put their person on level 2 or took them off it

Revision ID: 0019_level2_changes
Revises: 0018_email_usable
Create Date: 2026-11-28 21:30:00.000000

The chart's history added up each month's moves onto level 2 and off it by looking up, for
every declaration in the months shown, the person's declaration before it (~30,000 seeks for
a year at province scale). A trigger on the declarations now keeps each move in this table
(intranet/database/level2_changes.py); this revision fills it from the declarations already
recorded, and gives it the figures version's and figures_dated's triggers, as every table a
compliance figure reads has.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_level2_changes'
down_revision = '0018_email_usable'
branch_labels = None
depends_on = None

# Frozen as run on 28/11/2026 (intranet/database/level2_changes.py, figures_version.py and
# figures_dated.py then).
TRIGGERS = {
    'sqlite': [
        "CREATE TRIGGER declaration_moves_level2 AFTER INSERT ON declaration BEGIN DELETE FROM level2_change WHERE declaration_id = NEW.id OR declaration_id = (SELECT declaration_1.id FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at >= NEW.declared_at AND (declaration_1.declared_at > NEW.declared_at OR declaration_1.id > NEW.id) ORDER BY declaration_1.declared_at ASC, declaration_1.id ASC LIMIT 1 OFFSET 0); INSERT INTO level2_change (declaration_id, employee_id, declared_at, level2) SELECT NEW.id, NEW.employee_id, NEW.declared_at, 2 * CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END - 1 WHERE CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END <> CASE WHEN ((SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at <= NEW.declared_at AND (declaration_1.declared_at < NEW.declared_at OR declaration_1.id < NEW.id) ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1 OFFSET 0) = 'level2_active') THEN 1 ELSE 0 END; INSERT INTO level2_change (declaration_id, employee_id, declared_at, level2) SELECT successor.id, successor.employee_id, successor.declared_at, 2 * CASE WHEN (successor.status = 'level2_active') THEN 1 ELSE 0 END - 1 FROM declaration AS successor WHERE successor.id = (SELECT declaration_1.id FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at >= NEW.declared_at AND (declaration_1.declared_at > NEW.declared_at OR declaration_1.id > NEW.id) ORDER BY declaration_1.declared_at ASC, declaration_1.id ASC LIMIT 1 OFFSET 0) AND CASE WHEN (successor.status = 'level2_active') THEN 1 ELSE 0 END <> CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END; END",
        'CREATE TRIGGER level2_change_moves_figures_insert AFTER INSERT ON level2_change BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER level2_change_moves_figures_update AFTER UPDATE ON level2_change BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER level2_change_moves_figures_delete AFTER DELETE ON level2_change BEGIN UPDATE figures_version SET n = n + 1; END',
        "CREATE TRIGGER level2_change_dates_figures_insert BEFORE INSERT ON level2_change BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(NEW.declared_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER level2_change_dates_figures_delete BEFORE DELETE ON level2_change BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(OLD.declared_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER level2_change_dates_figures_update BEFORE UPDATE ON level2_change BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min(OLD.declared_at, NEW.declared_at)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
    ],
    'postgresql': [
        "CREATE OR REPLACE FUNCTION declaration_moves_level2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 FROM employee WHERE id = NEW.employee_id FOR NO KEY UPDATE; DELETE FROM level2_change WHERE declaration_id = NEW.id OR declaration_id = (SELECT declaration_1.id FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at >= NEW.declared_at AND (declaration_1.declared_at > NEW.declared_at OR declaration_1.id > NEW.id) ORDER BY declaration_1.declared_at ASC, declaration_1.id ASC LIMIT 1); INSERT INTO level2_change (declaration_id, employee_id, declared_at, level2) SELECT NEW.id, NEW.employee_id, NEW.declared_at, 2 * CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END - 1 WHERE CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END <> CASE WHEN ((SELECT declaration_1.status FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at <= NEW.declared_at AND (declaration_1.declared_at < NEW.declared_at OR declaration_1.id < NEW.id) ORDER BY declaration_1.declared_at DESC, declaration_1.id DESC LIMIT 1) = 'level2_active') THEN 1 ELSE 0 END; INSERT INTO level2_change (declaration_id, employee_id, declared_at, level2) SELECT successor.id, successor.employee_id, successor.declared_at, 2 * CASE WHEN (successor.status = 'level2_active') THEN 1 ELSE 0 END - 1 FROM declaration AS successor WHERE successor.id = (SELECT declaration_1.id FROM declaration AS declaration_1 WHERE declaration_1.employee_id = NEW.employee_id AND declaration_1.declared_at >= NEW.declared_at AND (declaration_1.declared_at > NEW.declared_at OR declaration_1.id > NEW.id) ORDER BY declaration_1.declared_at ASC, declaration_1.id ASC LIMIT 1) AND CASE WHEN (successor.status = 'level2_active') THEN 1 ELSE 0 END <> CASE WHEN (NEW.status = 'level2_active') THEN 1 ELSE 0 END; RETURN NULL; END $$",
        'CREATE TRIGGER declaration_moves_level2 AFTER INSERT ON declaration FOR EACH ROW EXECUTE FUNCTION declaration_moves_level2()',
        "CREATE OR REPLACE FUNCTION figures_version_moves() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; RETURN NULL; END $$",
        'CREATE TRIGGER level2_change_moves_figures AFTER INSERT OR UPDATE OR DELETE ON level2_change FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        "CREATE OR REPLACE FUNCTION level2_change_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := (NEW.declared_at)::date; ELSIF TG_OP = 'DELETE' THEN dated := (OLD.declared_at)::date; ELSE dated := least(OLD.declared_at, NEW.declared_at)::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER level2_change_dates_figures AFTER INSERT OR UPDATE OR DELETE ON level2_change FOR EACH ROW EXECUTE FUNCTION level2_change_dates_figures()',
    ],
}
FILL = "INSERT INTO level2_change (declaration_id, employee_id, declared_at, level2) SELECT ordered.id, ordered.employee_id, ordered.declared_at, 2 * ordered.now_on - 1 AS anon_1 FROM (SELECT declaration.id AS id, declaration.employee_id AS employee_id, declaration.declared_at AS declared_at, CASE WHEN (declaration.status = 'level2_active') THEN 1 ELSE 0 END AS now_on, CASE WHEN (lag(declaration.status) OVER (PARTITION BY declaration.employee_id ORDER BY declaration.declared_at, declaration.id) = 'level2_active') THEN 1 ELSE 0 END AS was_on FROM declaration) AS ordered WHERE ordered.now_on != ordered.was_on"
DROPS = {
    'sqlite': [
        "DROP TRIGGER IF EXISTS declaration_moves_level2",
        *(f"DROP TRIGGER IF EXISTS level2_change_{kind}_{verb}"
          for kind in ('moves_figures', 'dates_figures') for verb in ('insert', 'update', 'delete')),
    ],
    'postgresql': [
        "DROP TRIGGER IF EXISTS declaration_moves_level2 ON declaration",
        "DROP FUNCTION IF EXISTS declaration_moves_level2()",
        "DROP TRIGGER IF EXISTS level2_change_moves_figures ON level2_change",
        "DROP TRIGGER IF EXISTS level2_change_dates_figures ON level2_change",
        "DROP FUNCTION IF EXISTS level2_change_dates_figures()",
    ],
}


def upgrade():
    op.create_table('level2_change',
    sa.Column('declaration_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('level2', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_level2_change_declaration_id_declaration')),
    sa.PrimaryKeyConstraint('declaration_id', name=op.f('pk_level2_change'))
    )
    op.create_index('ix_level2_change_moment', 'level2_change', ['declared_at', 'employee_id', 'level2'], unique=False)
    # Filled before its triggers exist: the rows are the declarations', dated with them.
    op.execute(FILL)
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_index('ix_level2_change_moment', table_name='level2_change')
    op.drop_table('level2_change')
