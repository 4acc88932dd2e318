"""Database triggers that refuse UPDATE and DELETE on records with legal weight.

The application never edits these rows (a correction is a new row); the triggers make
that true for any other client of the database too. Used by the models (create_all)
and by the migrations, so both build the same guard.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import DDL, MetaData, Table, event
from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES = (
    "declaration",
    "notice",
    "notice_case",
    "appraisal",
    "appraisal_notice",
    "audit_event",
    "roster_entry",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_change_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$
"""


def trigger_statements(table: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()",
        ]
    return []


def create_with(metadata: MetaData, table: str, statements: Callable[[str], list[str]]) -> None:
    """Run statements(dialect) after `table` is created from the models (create_all), on
    SQLite and PostgreSQL: how the triggers reach a database not built by the migrations.
    Asked for at create time, once the models they may compile from all exist."""

    def after_create(_table: Table, connection: Connection, **_kw: Any) -> None:
        for statement in statements(connection.dialect.name):
            # DDL() formats its text with %: a literal % (RAISE's placeholder) is written %%.
            connection.execute(DDL(statement.replace("%", "%%")))

    event.listen(metadata.tables[table], "after_create", after_create)


def install_on(metadata: MetaData) -> None:
    """Add the triggers whenever these tables are created from the models."""
    for name in APPEND_ONLY_TABLES:
        create_with(metadata, name, lambda dialect, name=name: trigger_statements(name, dialect))
