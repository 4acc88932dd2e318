"""Which days the records written since a figures version are dated on: for each day (UTC),
the last figures version that wrote a record a compliance figure counts dated on it.

Every figure of a month is the state at its end, worked out from the records dated by then
(compliance/staff.py, records.py): the declarations and roster entries made, the notices,
proposals and corrections recorded by then. So figures worked out at version n for a month
that ended before every day written since n are still its figures at any later version: a
past month's table and unit figures are kept across such writes, and a history keeps those
months and works out only the later ones (compliance/history.py). Most writes are dated now.

A record is dated by the moment from which it can count: a declaration's or roster entry's
time, a notice's or proposal's recording (a correction is recorded too), a notice joined to
a proposal by the proposal's recording. A unit is no record of a month: any write to one
dates every day (EVERY_DAY), as the table lists each active unit.

Triggers write the day in the transaction that writes the record, under a number it makes
visible with the record: on SQLite before each row (n + 1, the number the row's own
figures_version trigger moves to next), on PostgreSQL after it, once the transaction has
moved the number (the same move, once per transaction, as figures_version_moves). Either way
the day's number is above any a reader could have read before the record, and no higher than
the one it reads after. An update or a delete (refused on the append-only tables, but not
by these triggers) writes the earlier of its days. The table holds a row per day records are
dated on, not per write; a day already written in the transaction is not written again
(PostgreSQL: a first sync's 20,000 roster entries would otherwise leave 20,000 versions of
one row for the transaction to step over, see figures_version).
Used by the models (create_all) and by migration 0017.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Date, MetaData, Table, func, select

from ..extensions import db
from .append_only import create_with
from .figures_version import FIGURES_VERSION
from .figures_version import TABLE as VERSION

TABLE = "figures_dated"
# The tables a month's figures read, with the moment each record counts from ({row}: NEW
# or OLD); None: every day.
DATED: dict[str, str | None] = {
    "declaration": "{row}.declared_at",
    "level2_change": "{row}.declared_at",
    "roster_entry": "{row}.at",
    "notice": "{row}.recorded_at",
    "appraisal": "{row}.recorded_at",
    "appraisal_notice": "(SELECT recorded_at FROM appraisal WHERE id = {row}.appraisal_id)",
    "unit": None,
}
# A day before any record: written where a day is missing, it makes every month worked out
# again (and marks the versions before the table existed: migration 0017).
EVERY_DAY = date(1, 1, 1)

FIGURES_DATED = Table(
    TABLE, db.metadata,
    Column("day", Date, primary_key=True),
    Column("n", BigInteger, nullable=False),
)


def _sqlite(table: str, moment: str | None) -> list[str]:
    days = {"insert": "NEW", "delete": "OLD", "update": None}

    def day(row: str | None) -> str:
        if moment is None:
            return f"'{EVERY_DAY}'"
        if row is None:
            return f"coalesce(date(min({moment.format(row='OLD')}, {moment.format(row='NEW')})), '{EVERY_DAY}')"
        return f"coalesce(date({moment.format(row=row)}), '{EVERY_DAY}')"

    return [
        f"CREATE TRIGGER {table}_dates_figures_{verb} BEFORE {verb.upper()} ON {table} BEGIN "
        f"INSERT INTO {TABLE} (day, n) SELECT {day(row)}, n + 1 "
        f"FROM {VERSION} WHERE true ON CONFLICT (day) DO UPDATE SET n = excluded.n "
        f"WHERE {TABLE}.n < excluded.n; END"
        for verb, row in days.items()
    ]


def _postgresql(table: str, moment: str | None) -> list[str]:
    function = f"{table}_dates_figures"
    if moment is None:
        dated = "dated := NULL; "
    else:
        new, old = moment.format(row="NEW"), moment.format(row="OLD")
        dated = (f"IF TG_OP = 'INSERT' THEN dated := ({new})::date; "
                 f"ELSIF TG_OP = 'DELETE' THEN dated := ({old})::date; "
                 f"ELSE dated := least({old}, {new})::date; END IF; ")
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE dated date; BEGIN "
        "IF current_setting('intranet.figures_moved', true) IS DISTINCT FROM txid_current()::text "
        f"THEN UPDATE {VERSION} SET n = n + 1; "
        "PERFORM set_config('intranet.figures_moved', txid_current()::text, true); END IF; "
        f"{dated}"
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
    """The earliest day a record written after version `n` is dated on (None: none written
    since)."""
    return session.scalar(select(func.min(FIGURES_DATED.c.day)).where(FIGURES_DATED.c.n > n))


def current_with_days(session: Any, since: int | None) -> tuple[tuple[str, int], list[tuple[date, int]]]:
    """The figures version (figures_version.current) and the days written after version
    `since` with their numbers, in one statement: the figures kept at a version from `since`
    on then know what was written since without asking again (None: no days)."""
    written = FIGURES_DATED.c.n > (since if since is not None else FIGURES_VERSION.c.n)
    rows = session.execute(
        select(FIGURES_VERSION.c.epoch, FIGURES_VERSION.c.n, FIGURES_DATED.c.day, FIGURES_DATED.c.n)
        .select_from(FIGURES_VERSION.outerjoin(FIGURES_DATED, written))
    ).all()
    epoch, n = rows[0][0], int(rows[0][1])
    return (epoch, n), [(day, int(day_n)) for _e, _n, day, day_n in rows if day is not None]


def dated_after(first_day: date | None, moment: datetime) -> bool:
    """Whether records dated from `first_day` on (first_day_since's answer) are all dated
    after `moment` (stored UTC): figures of that moment kept from before them still stand."""
    return first_day is None or moment.date() < first_day
