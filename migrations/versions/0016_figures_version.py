"""figures_version: a number the database moves whenever a record the compliance figures count is written

Revision ID: 0016_figures_version
Revises: 0015
Create Date: 2026-11-28 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_figures_version'
down_revision = '0015'
branch_labels = None
depends_on = None

# Frozen as run on 28/11/2026 (intranet/database/figures_version.py then).
FIRST_ROW = {
    'sqlite': "INSERT INTO figures_version (id, n, epoch) VALUES (1, 0, lower(hex(randomblob(16))))",
    'postgresql': "INSERT INTO figures_version (id, n, epoch) "
                  "VALUES (1, 0, md5(random()::text || clock_timestamp()::text))",
}
TRIGGERS = {
    'sqlite': [
        'CREATE TRIGGER unit_moves_figures_insert AFTER INSERT ON unit BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER unit_moves_figures_update AFTER UPDATE ON unit BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER unit_moves_figures_delete AFTER DELETE ON unit BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER employee_moves_figures_insert AFTER INSERT ON employee BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER employee_moves_figures_update AFTER UPDATE OF unit_id, created_at, left_at ON employee WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.created_at IS NOT NEW.created_at OR OLD.left_at IS NOT NEW.left_at BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER employee_moves_figures_delete AFTER DELETE ON employee BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER roster_entry_moves_figures_insert AFTER INSERT ON roster_entry BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER roster_entry_moves_figures_update AFTER UPDATE ON roster_entry BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER roster_entry_moves_figures_delete AFTER DELETE ON roster_entry BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER declaration_moves_figures_insert AFTER INSERT ON declaration BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER declaration_moves_figures_update AFTER UPDATE ON declaration BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER declaration_moves_figures_delete AFTER DELETE ON declaration BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER notice_moves_figures_insert AFTER INSERT ON notice BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER notice_moves_figures_update AFTER UPDATE ON notice BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER notice_moves_figures_delete AFTER DELETE ON notice BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_moves_figures_insert AFTER INSERT ON appraisal BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_moves_figures_update AFTER UPDATE ON appraisal BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_moves_figures_delete AFTER DELETE ON appraisal BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_notice_moves_figures_insert AFTER INSERT ON appraisal_notice BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_notice_moves_figures_update AFTER UPDATE ON appraisal_notice BEGIN UPDATE figures_version SET n = n + 1; END',
        'CREATE TRIGGER appraisal_notice_moves_figures_delete AFTER DELETE ON appraisal_notice BEGIN UPDATE figures_version SET n = n + 1; END',
    ],
    'postgresql': [
        # Once per transaction (a setting local to it): many updates of one row in one
        # transaction cost PostgreSQL more and more each.
        "CREATE OR REPLACE FUNCTION figures_version_moves() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text "
        "THEN UPDATE figures_version SET n = n + 1; "
        "PERFORM set_config('intranet.figures_moved', txid_current()::text, true); "
        "END IF; RETURN NULL; END $$",
        'CREATE TRIGGER unit_moves_figures AFTER INSERT OR UPDATE OR DELETE ON unit FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER employee_moves_figures AFTER INSERT OR DELETE ON employee FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER employee_moves_figures_update AFTER UPDATE OF unit_id, created_at, left_at ON employee FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.left_at IS DISTINCT FROM NEW.left_at) EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER roster_entry_moves_figures AFTER INSERT OR UPDATE OR DELETE ON roster_entry FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER declaration_moves_figures AFTER INSERT OR UPDATE OR DELETE ON declaration FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER notice_moves_figures AFTER INSERT OR UPDATE OR DELETE ON notice FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER appraisal_moves_figures AFTER INSERT OR UPDATE OR DELETE ON appraisal FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
        'CREATE TRIGGER appraisal_notice_moves_figures AFTER INSERT OR UPDATE OR DELETE ON appraisal_notice FOR EACH ROW EXECUTE FUNCTION figures_version_moves()',
    ],
}
WATCHED = ('unit', 'employee', 'roster_entry', 'declaration', 'notice', 'appraisal', 'appraisal_notice')
DROPS = {
    'sqlite': [f"DROP TRIGGER IF EXISTS {table}_moves_figures_{verb}"
               for table in WATCHED for verb in ('insert', 'update', 'delete')],
    'postgresql': [
        *(f"DROP TRIGGER IF EXISTS {table}_moves_figures ON {table}" for table in WATCHED),
        "DROP TRIGGER IF EXISTS employee_moves_figures_update ON employee",
        "DROP FUNCTION IF EXISTS figures_version_moves()",
    ],
}


def upgrade():
    op.create_table('figures_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures_version'))
    )
    dialect = op.get_bind().dialect.name
    if dialect in FIRST_ROW:
        op.execute(FIRST_ROW[dialect])
    for statement in TRIGGERS.get(dialect, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table('figures_version')
