"""A number the database moves on whenever a record the compliance figures count is written.

Figures worked out while the number stood at n are the figures of every moment it stands at
n, so a page may show them again instead of working them out again (compliance/memo.py).
Triggers move it in the transaction that writes the record, for any client of the database
(the app, the sync, an import, a script): the new number becomes visible together with the
record, never before it, so it cannot stand still while the figures change. It is one row,
updated in place, not a sequence: a sequence moves before the writer commits, and a reader
could then file the old figures under the new number.

`epoch` is drawn when the row is created: a database built again (or migrated down and up)
starts from 0 again, and its numbers must not meet those of the one before.
Used by the models (create_all) and by migration 0016, which holds the SQL as it was then.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select

from ..extensions import db
from .append_only import create_with

TABLE = "figures_version"
FUNCTION = "figures_version_moves"
# Every table a compliance figure reads, with the columns whose change can move one (None:
# any write). An employee's name or sign-in moves no figure; their status comes with a
# declaration, which moves the number itself.
WATCHED: dict[str, tuple[str, ...] | None] = {
    "unit": None,
    "employee": ("unit_id", "created_at", "left_at"),
    "roster_entry": None,
    "declaration": None,
    "level2_change": None,
    "notice": None,
    "appraisal": None,
    "appraisal_notice": None,
}
_MOVE = f"UPDATE {TABLE} SET n = n + 1"
# PostgreSQL: once per transaction. Each update of a row leaves a version of it that the
# rest of the transaction must step over: 2,000 updates in one transaction took 0.03 s,
# 8,000 took 0.85 s; a first sync of 20,000 people, with their roster entries, would spend
# tens of seconds on it. One move per transaction is enough: what it wrote becomes visible
# at once, with the new number. (A setting local to the transaction, undone with it or
# with its savepoint.)
FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text "
    f"THEN {_MOVE}; PERFORM set_config('intranet.figures_moved', txid_current()::text, true); "
    "END IF; RETURN NULL; END $$"
)


FIGURES_VERSION = Table(
    TABLE, db.metadata,
    Column("id", Integer, primary_key=True),
    Column("n", BigInteger, nullable=False),
    Column("epoch", String(32), nullable=False),
)


def first_row(dialect: str) -> list[str]:
    """The one row, numbered 0 in a new epoch."""
    epoch = {"sqlite": "lower(hex(randomblob(16)))",
             "postgresql": "md5(random()::text || clock_timestamp()::text)"}.get(dialect)
    return [f"INSERT INTO {TABLE} (id, n, epoch) VALUES (1, 0, {epoch})"] if epoch else []


def _changed(columns: tuple[str, ...], differs: str) -> str:
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def trigger_statements(table: str, dialect: str) -> list[str]:
    columns = WATCHED[table]
    name = f"{table}_moves_figures"
    if dialect == "sqlite":
        update = (f"AFTER UPDATE OF {', '.join(columns)} ON {table} "
                  f"WHEN {_changed(columns, 'IS NOT')}" if columns else f"AFTER UPDATE ON {table}")
        return [
            f"CREATE TRIGGER {name}_{verb} {when} BEGIN {_MOVE}; END"
            for verb, when in (("insert", f"AFTER INSERT ON {table}"), ("update", update),
                               ("delete", f"AFTER DELETE ON {table}"))
        ]
    if dialect == "postgresql":
        # The function with each table: create_all may reach this table before figures_version.
        run = f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        if columns is None:
            return [FUNCTION_SQL, f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} {run}"]
        return [
            FUNCTION_SQL,
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} {run}",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
            f"FOR EACH ROW WHEN ({_changed(columns, 'IS DISTINCT FROM')}) "
            f"EXECUTE FUNCTION {FUNCTION}()",
        ]
    return []


def install_on(metadata: MetaData) -> None:
    """The row with the table; each watched table's triggers with that table."""
    create_with(metadata, TABLE, first_row)
    for table in WATCHED:
        create_with(metadata, table, lambda dialect, table=table: trigger_statements(table, dialect))


def current(session: Any) -> tuple[str, int]:
    """(epoch, n) as this transaction sees them."""
    epoch, n = session.execute(select(FIGURES_VERSION.c.epoch, FIGURES_VERSION.c.n)).one()
    return epoch, int(n)
