"""figures_dated: the last figures version that wrote a record a compliance figure counts dated on each day

Revision ID: 0017_figures_dated
Revises: 0016_figures_version
Create Date: 2026-11-28 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_figures_dated'
down_revision = '0016_figures_version'
branch_labels = None
depends_on = None

# Frozen as run on 28/11/2026 (intranet/database/figures_dated.py then).
TRIGGERS = {
    'sqlite': [
        "CREATE TRIGGER declaration_dates_figures_insert BEFORE INSERT ON declaration BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(NEW.declared_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER declaration_dates_figures_delete BEFORE DELETE ON declaration BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(OLD.declared_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER declaration_dates_figures_update BEFORE UPDATE ON declaration BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min(OLD.declared_at, NEW.declared_at)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER roster_entry_dates_figures_insert BEFORE INSERT ON roster_entry BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(NEW.at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER roster_entry_dates_figures_delete BEFORE DELETE ON roster_entry BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(OLD.at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER roster_entry_dates_figures_update BEFORE UPDATE ON roster_entry BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min(OLD.at, NEW.at)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER notice_dates_figures_insert BEFORE INSERT ON notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(NEW.recorded_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER notice_dates_figures_delete BEFORE DELETE ON notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(OLD.recorded_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER notice_dates_figures_update BEFORE UPDATE ON notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min(OLD.recorded_at, NEW.recorded_at)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_dates_figures_insert BEFORE INSERT ON appraisal BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(NEW.recorded_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_dates_figures_delete BEFORE DELETE ON appraisal BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(OLD.recorded_at), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_dates_figures_update BEFORE UPDATE ON appraisal BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min(OLD.recorded_at, NEW.recorded_at)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_notice_dates_figures_insert BEFORE INSERT ON appraisal_notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date((SELECT recorded_at FROM appraisal WHERE id = NEW.appraisal_id)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_notice_dates_figures_delete BEFORE DELETE ON appraisal_notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date((SELECT recorded_at FROM appraisal WHERE id = OLD.appraisal_id)), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER appraisal_notice_dates_figures_update BEFORE UPDATE ON appraisal_notice BEGIN INSERT INTO figures_dated (day, n) SELECT coalesce(date(min((SELECT recorded_at FROM appraisal WHERE id = OLD.appraisal_id), (SELECT recorded_at FROM appraisal WHERE id = NEW.appraisal_id))), '0001-01-01'), n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER unit_dates_figures_insert BEFORE INSERT ON unit BEGIN INSERT INTO figures_dated (day, n) SELECT '0001-01-01', n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER unit_dates_figures_delete BEFORE DELETE ON unit BEGIN INSERT INTO figures_dated (day, n) SELECT '0001-01-01', n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
        "CREATE TRIGGER unit_dates_figures_update BEFORE UPDATE ON unit BEGIN INSERT INTO figures_dated (day, n) SELECT '0001-01-01', n + 1 FROM figures_version WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; END",
    ],
    'postgresql': [
        "CREATE OR REPLACE FUNCTION declaration_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := (NEW.declared_at)::date; ELSIF TG_OP = 'DELETE' THEN dated := (OLD.declared_at)::date; ELSE dated := least(OLD.declared_at, NEW.declared_at)::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER declaration_dates_figures AFTER INSERT OR UPDATE OR DELETE ON declaration FOR EACH ROW EXECUTE FUNCTION declaration_dates_figures()',
        "CREATE OR REPLACE FUNCTION roster_entry_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := (NEW.at)::date; ELSIF TG_OP = 'DELETE' THEN dated := (OLD.at)::date; ELSE dated := least(OLD.at, NEW.at)::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER roster_entry_dates_figures AFTER INSERT OR UPDATE OR DELETE ON roster_entry FOR EACH ROW EXECUTE FUNCTION roster_entry_dates_figures()',
        "CREATE OR REPLACE FUNCTION notice_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := (NEW.recorded_at)::date; ELSIF TG_OP = 'DELETE' THEN dated := (OLD.recorded_at)::date; ELSE dated := least(OLD.recorded_at, NEW.recorded_at)::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER notice_dates_figures AFTER INSERT OR UPDATE OR DELETE ON notice FOR EACH ROW EXECUTE FUNCTION notice_dates_figures()',
        "CREATE OR REPLACE FUNCTION appraisal_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := (NEW.recorded_at)::date; ELSIF TG_OP = 'DELETE' THEN dated := (OLD.recorded_at)::date; ELSE dated := least(OLD.recorded_at, NEW.recorded_at)::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER appraisal_dates_figures AFTER INSERT OR UPDATE OR DELETE ON appraisal FOR EACH ROW EXECUTE FUNCTION appraisal_dates_figures()',
        "CREATE OR REPLACE FUNCTION appraisal_notice_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; IF TG_OP = 'INSERT' THEN dated := ((SELECT recorded_at FROM appraisal WHERE id = NEW.appraisal_id))::date; ELSIF TG_OP = 'DELETE' THEN dated := ((SELECT recorded_at FROM appraisal WHERE id = OLD.appraisal_id))::date; ELSE dated := least((SELECT recorded_at FROM appraisal WHERE id = OLD.appraisal_id), (SELECT recorded_at FROM appraisal WHERE id = NEW.appraisal_id))::date; END IF; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER appraisal_notice_dates_figures AFTER INSERT OR UPDATE OR DELETE ON appraisal_notice FOR EACH ROW EXECUTE FUNCTION appraisal_notice_dates_figures()',
        "CREATE OR REPLACE FUNCTION unit_dates_figures() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE dated date; BEGIN IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text THEN UPDATE figures_version SET n = n + 1; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; dated := NULL; INSERT INTO figures_dated (day, n) SELECT coalesce(dated, DATE '0001-01-01'), n FROM figures_version ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE figures_dated.n < excluded.n; RETURN NULL; END $$",
        'CREATE TRIGGER unit_dates_figures AFTER INSERT OR UPDATE OR DELETE ON unit FOR EACH ROW EXECUTE FUNCTION unit_dates_figures()',
    ],
}
# Whatever was written before the table existed is not in it: marked as written on every
# day at the number standing now, so nothing worked out before it is kept past it.
EVERY_DAY_NOW = {
    'sqlite': "INSERT INTO figures_dated (day, n) SELECT '0001-01-01', n FROM figures_version",
    'postgresql': "INSERT INTO figures_dated (day, n) SELECT DATE '0001-01-01', n FROM figures_version",
}
DATED = ('declaration', 'roster_entry', 'notice', 'appraisal', 'appraisal_notice', 'unit')
DROPS = {
    'sqlite': [f"DROP TRIGGER IF EXISTS {table}_dates_figures_{verb}"
               for table in DATED for verb in ('insert', 'update', 'delete')],
    'postgresql': [
        *(f"DROP TRIGGER IF EXISTS {table}_dates_figures ON {table}" for table in DATED),
        *(f"DROP FUNCTION IF EXISTS {table}_dates_figures()" for table in DATED),
    ],
}


def upgrade():
    op.create_table('figures_dated',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_figures_dated'))
    )
    dialect = op.get_bind().dialect.name
    if dialect in EVERY_DAY_NOW:
        op.execute(EVERY_DAY_NOW[dialect])
    for statement in TRIGGERS.get(dialect, []):
        op.execute(statement)


def downgrade():
    for statement in DROPS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table('figures_dated')
