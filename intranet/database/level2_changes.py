"""The declarations that put their person on level 2 or took them off it, kept by the database.

A unit's level-2 count moves only when someone declares on or off level 2 (or joins, moves or
leaves: the roster). The chart's history (compliance/history.py) adds those moves up month by
month; finding them meant looking up, for each declaration in the months shown, the person's
declaration before it: ~30,000 seeks for a year at province scale, 45 of the 51 ms the
history took when worked out from nothing (make bench's data). A trigger writes each move
with its declaration, in its transaction, for any client of the database.

One row per declaration whose status is level 2 while the one it replaced was not (+1), or
the other way round (-1). The one it replaced is the person's latest declaration before it in
the timelines' order (intranet/timelines.py: earlier in time, or at the same time with a lower
id); a first declaration replaced nothing, which is not level 2. A declaration recorded with
an earlier time than some of the person's others (an import, say) is also what its successor
replaced from then on: the successor's row is written again. Derived from the declarations
(fill_statement() computes it from them whole), so not append-only; its writes move the
figures version and date their day like the declarations' (figures_version.py,
figures_dated.py). A test compares it with the moves the timelines' definition gives.
Used by the models (create_all); migration 0019 holds the SQL as it was then and fills the table.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Column, DateTime, ForeignKey, Index, Integer, MetaData, SmallInteger, Table, case,
    literal_column, select,
)

from ..extensions import db
from .append_only import create_with
from .latest_status import trigger_sql

TABLE = "level2_change"
TRIGGER = "declaration_moves_level2"

LEVEL2_CHANGE = Table(
    TABLE, db.metadata,
    Column("declaration_id", Integer, ForeignKey("declaration.id"), primary_key=True,
           autoincrement=False),
    Column("employee_id", Integer, nullable=False),
    Column("declared_at", DateTime, nullable=False),
    Column("level2", SmallInteger, nullable=False),  # +1 onto level 2, -1 off it
    # The months shown are one range of it, with what places each move in a unit.
    Index("ix_level2_change_moment", "declared_at", "employee_id", "level2"),
)


_COLUMNS = f"INSERT INTO {TABLE} (declaration_id, employee_id, declared_at, level2)"


def on_level2(status: Any) -> Any:
    """1 for a status of level 2, else 0 (None too: nothing declared is not level 2)."""
    from ..models import VneidStatus  # the models import this package

    return case((status == VneidStatus.LEVEL2_ACTIVE, 1), else_=0)


def _statements(dialect: str) -> list[str]:
    """NEW's move and its successor's, each deleted and written again: a statement inserting
    several of one person's declarations leaves the same rows whatever order they come in.
    The declaration NEW replaced and the one after it are the timelines' (before(), after())."""
    from ..models import Declaration
    from ..timelines import DECLARATIONS, after, before, earliest_record, latest_record

    def sql(element: Any) -> str:
        return trigger_sql(element, dialect)

    def row(name: str) -> SimpleNamespace:  # NEW, or a declaration of the trigger's own
        columns = Declaration.__table__.c
        return SimpleNamespace(**{column: literal_column(f"{name}.{column}", columns[column].type)
                                  for column in ("id", "employee_id", "declared_at", "status")})

    new = row("NEW")
    replaced = latest_record(DECLARATIONS, new.employee_id, "status", before(DECLARATIONS, new))
    successor = earliest_record(DECLARATIONS, new.employee_id, "id", after(DECLARATIONS, new))
    new_on, successor_on = sql(on_level2(new.status)), sql(on_level2(row("successor").status))
    return [
        f"DELETE FROM {TABLE} WHERE declaration_id = NEW.id OR declaration_id = {sql(successor)}",
        f"{_COLUMNS} SELECT NEW.id, NEW.employee_id, NEW.declared_at, 2 * {new_on} - 1 "
        f"WHERE {new_on} <> {sql(on_level2(replaced))}",
        f"{_COLUMNS} SELECT successor.id, successor.employee_id, successor.declared_at, "
        f"2 * {successor_on} - 1 FROM declaration AS successor "
        f"WHERE successor.id = {sql(successor)} AND {successor_on} <> {new_on}",
    ]


def trigger_statements(dialect: str) -> list[str]:
    body = "; ".join(_statements(dialect))
    if dialect == "sqlite":
        # One writer at a time: nobody else's declaration can come between these reads.
        return [f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration BEGIN {body}; END"]
    if dialect == "postgresql":
        # Two transactions declaring for one person at once would each read the other's
        # declaration as missing: the person's row is locked first, so the second waits, and
        # its reads (each with a snapshot of its own) then see the first's declaration.
        return [
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "PERFORM 1 FROM employee WHERE id = NEW.employee_id FOR NO KEY UPDATE; "
            f"{body}; RETURN NULL; END $$",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
        ]
    return []


def fill_statement(dialect: str) -> str:
    """Every declaration's move from its predecessor (timelines.previous_in_order): the table
    filled from the declarations."""
    from ..models import Declaration
    from ..timelines import DECLARATIONS, previous_in_order

    ordered = select(
        Declaration.id, Declaration.employee_id, Declaration.declared_at,
        on_level2(Declaration.status).label("now_on"),
        on_level2(previous_in_order(DECLARATIONS, "status")).label("was_on"),
    ).subquery("ordered")
    moves = select(ordered.c.id, ordered.c.employee_id, ordered.c.declared_at,
                   2 * ordered.c.now_on - 1).where(ordered.c.now_on != ordered.c.was_on)
    return f"{_COLUMNS} {trigger_sql(moves, dialect)}"


def install_on(metadata: MetaData) -> None:
    # With the table, created after the declarations it refers to.
    create_with(metadata, TABLE, trigger_statements)
