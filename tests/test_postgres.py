"""On the PostgreSQL pass: the suite really meets PostgreSQL, built by the migrations, append-only."""
from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from intranet import ROOT
from intranet.clock import local_today
from intranet.declarations import service
from intranet.extensions import db
from intranet.models import AppraisalOutcome, Employee, IssuingBody
from intranet.notices.reference_data import APPRAISAL_OUTCOMES, CURRENT_BODIES, ISSUING_BODIES

from .conftest import DEMO_EMPLOYEE, ON_POSTGRES, PG_TEMPLATE

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="only with TEST_DATABASE=postgresql")


def test_the_app_runs_on_its_own_postgresql_database(app: Flask) -> None:
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"
        assert db.session.scalar(text("SELECT current_database()")) != PG_TEMPLATE
        assert db.session.scalar(select(func.count(Employee.id))) == 0


def test_no_jit_in_the_app_s_sessions(app: Flask) -> None:
    # Compiling the compliance statements to machine code cost more than running them.
    with app.app_context():
        assert db.session.scalar(text("SHOW jit")) == "off"
        db.session.rollback()
        assert db.session.scalar(text("SHOW jit")) == "off"  # a setting of the session


def test_the_schema_and_seeds_come_from_the_migrations(app: Flask) -> None:
    with app.app_context():
        head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
        assert db.session.scalar(select(func.count(AppraisalOutcome.id))) == len(APPRAISAL_OUTCOMES)
        assert db.session.scalar(select(func.count(IssuingBody.id))) == len(ISSUING_BODIES) + len(CURRENT_BODIES)
        active = set(db.session.scalars(select(IssuingBody.name).where(IssuingBody.active.is_(True))))
        assert active == set(CURRENT_BODIES)


@pytest.mark.parametrize("table", ["declaration", "audit_event"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_append_only_tables_refuse_raw_update_and_delete(
    synced_app: Flask, table: str, statement: str
) -> None:
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        service.declare(
            employee, status="level1", activated_on=None, committed=False, note=None,
            today=local_today(), address=None,
        )
        db.session.commit()
        with pytest.raises(DBAPIError, match=f"{table} is append-only"):
            db.session.execute(text(statement.format(table=table)))
        db.session.rollback()
        assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) >= 1


def test_sort_keys_compare_byte_by_byte_whatever_the_database_locale(app: Flask) -> None:
    with app.app_context():
        collations = db.session.execute(text(
            "SELECT table_name, collation_name FROM information_schema.columns "
            "WHERE column_name = 'sort_key' ORDER BY table_name"
        )).all()
    assert collations == [("employee", "C"), ("issuing_body", "C"), ("unit", "C")]
