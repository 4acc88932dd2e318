"""Which days the records written since a figures version are dated on: the last version
that wrote a declaration or a roster entry dated on each day (UTC).

A month's staff and level-2 counts at its end are worked out from the declarations and roster
entries dated by then, and from nothing else (compliance/staff.py). So counts worked out at
version n for a month that ended before every day written since n are still the counts at
any later version: the history (compliance/history.py) keeps those months and works out only
the months from the first day written (most writes are dated now: only the running month).

Triggers write the day in the transaction that writes the record, under a number it makes
visible with the record: on SQLite before each row (n + 1, the number the row's own
figures_version trigger moves to next), on PostgreSQL after it, once the transaction has
moved the number (the same move, once per transaction, as figures_version_moves). Either way
the day's number is above any a reader could have read before the record, and no higher than
the one it reads after. An update or a delete (refused on these append-only tables, but not
by these triggers) writes the earlier of its days. The table holds a row per day records are
dated on, not per write; a day already written in the transaction is not written again
(PostgreSQL: a first sync's 20,000 roster entries would otherwise leave 20,000 versions of
one row for the transaction to step over, see figures_version). Used by the models (create_all) and by migration 0017.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Column, Date, MetaData, Table, func, select

from ..extensions import db
from .append_only import create_with
from .figures_version import TABLE as VERSION

TABLE = "figures_dated"
# The tables the month-end counts read, with their time column.
DATED = {"declaration": "declared_at", "roster_entry": "at"}
# A day before any record: written where a day is missing, it makes every month worked out
# again (and marks the versions before the table existed: migration 0017).
EVERY_DAY = date(1, 1, 1)

FIGURES_DATED = Table(
    TABLE, db.metadata,
    Column("day", Date, primary_key=True),
    Column("n", BigInteger, nullable=False),
)


def _sqlite(table: str, time: str) -> list[str]:
    days = {"insert": f"NEW.{time}", "delete": f"OLD.{time}",
            "update": f"min(OLD.{time}, NEW.{time})"}
    return [
        f"CREATE TRIGGER {table}_dates_figures_{verb} BEFORE {verb.upper()} ON {table} BEGIN "
        f"INSERT INTO {TABLE} (day, n) SELECT coalesce(date({moment}), '{EVERY_DAY}'), n + 1 "
        f"FROM {VERSION} WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n "
        f"WHERE {TABLE}.n < excluded.n; END"
        for verb, moment in days.items()
    ]


def _postgresql(table: str, time: str) -> list[str]:
    function = f"{table}_dates_figures"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE dated date; BEGIN "
        "IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text "
        f"THEN UPDATE {VERSION} SET n = n + 1; "
        "PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; "
        f"IF TG_OP = 'INSERT' THEN dated := NEW.{time}::date; "
        f"ELSIF TG_OP = 'DELETE' THEN dated := OLD.{time}::date; "
        f"ELSE dated := least(OLD.{time}, NEW.{time})::date; END IF; "
        f"INSERT INTO {TABLE} (day, n) SELECT coalesce(dated, DATE '{EVERY_DAY}'), n FROM {VERSION} "
        f"ON CONFLICT (day) DO UPDATE SET n = excluded.n WHERE {TABLE}.n < excluded.n; "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def trigger_statements(table: str, dialect: str) -> list[str]:
    builder = {"sqlite": _sqlite, "postgresql": _postgresql}.get(dialect)
    return builder(table, DATED[table]) if builder else []


def install_on(metadata: MetaData) -> None:
    for table in DATED:
        create_with(metadata, table, lambda dialect, table=table: trigger_statements(table, dialect))


def first_day_since(session: Any, n: int) -> date | None:
    """The earliest day a declaration or roster entry written after version `n` is dated on
    (None: none written since)."""
    return session.scalar(select(func.min(FIGURES_DATED.c.day)).where(FIGURES_DATED.c.n > n))
