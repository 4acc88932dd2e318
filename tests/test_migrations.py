"""The migrations build the same schema as the models, triggers included, and can be undone.

A deployed database only ever gets the migrations; the tests and a fresh tool get
create_all. Both must carry the same tables, indexes, triggers and (PostgreSQL) functions,
or the rules with legal weight would hold in one and not the other.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from intranet import create_app
from intranet.extensions import db

from .conftest import ON_POSTGRES, base_config
from .support.pg_server import FreshDatabase


@pytest.fixture
def empty_database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """make(name) -> an app on a new, empty database of the pass's kind."""
    made: list[FreshDatabase] = []
    apps: list[Flask] = []

    def make(name: str) -> Flask:
        if ON_POSTGRES:
            database = FreshDatabase(request.getfixturevalue("postgres"), template="template1")
            made.append(database)
            url = database.url()
        else:
            url = f"sqlite:///{tmp_path / name}.db"
        app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    for database in made:
        database.drop()


def schema(connection: Connection) -> dict[str, Any]:
    """Tables (columns, keys, indexes) and triggers, plus PostgreSQL's functions, as data."""
    inspector = inspect(connection)
    tables = {}
    for name in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        tables[name] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(name)
            ],
            "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
            "foreign keys": sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(name)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(name)
            ),
        }
    if connection.dialect.name == "sqlite":
        triggers = connection.execute(text(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )).all()
        functions: list[Any] = []
    else:
        triggers = connection.execute(text(
            "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE NOT tgisinternal ORDER BY tgname"
        )).all()
        functions = connection.execute(text(
            "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
            "WHERE pronamespace = 'public'::regnamespace ORDER BY proname"
        )).all()
    return {
        "tables": tables,
        "triggers": [tuple(row) for row in triggers],
        "functions": [tuple(row) for row in functions],
    }


def built_by_create_all(app: Flask) -> dict[str, Any]:
    with app.app_context():
        db.create_all()
        with db.engine.connect() as connection:
            return schema(connection)


def built_by_migrations(app: Flask) -> dict[str, Any]:
    with app.app_context():
        with db.engine.connect() as connection:
            return schema(connection)


def test_the_migrations_build_what_create_all_builds_triggers_included(empty_database) -> None:
    models = built_by_create_all(empty_database("models"))
    migrated = empty_database("migrated")
    with migrated.app_context():
        upgrade()
    assert built_by_migrations(migrated) == models
    # Not vacuous: the rules with legal weight are in both.
    names = {trigger[0] for trigger in models["triggers"]}
    assert {"declaration_sets_latest_status", "employee_roster" if ON_POSTGRES else
            "employee_roster_insert"} <= names
    assert any(name.startswith("audit_event") for name in names)


def test_the_migrations_match_the_models_column_by_column(empty_database) -> None:
    app = empty_database("migrated")
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_downgrade_to_nothing_then_upgrade_again_gives_the_same_schema(empty_database) -> None:
    models = built_by_create_all(empty_database("models"))
    app = empty_database("round_trip")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            left = schema(connection)
        assert left == {"tables": {}, "triggers": [], "functions": []}
        upgrade()
    assert built_by_migrations(app) == models
