"""Statements PostgreSQL plans anew on each run, for the values they are given.

psycopg prepares a statement on the server after its 5th run on a connection; from then on
PostgreSQL may run it on a generic plan, one made without looking at the values bound. For
the small statements of most pages that is the point: planning them cost more than running
them (home 5.2 against 3.9 ms when every statement was planned each run, make bench). The
compliance figures' statements are the opposite: each is one large query over the month's
ends, and a plan made without knowing those moments read far more than it needed (a year's
trend 65 against 49 ms, a past month's table 49 against 30). Those are marked with
planned_each_run() and are never prepared; what planning costs them is under a millisecond.
"""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.base import Executable

E = TypeVar("E", bound=Executable)

_PLANNED_EACH_RUN = "intranet_planned_each_run"
# The connection's own threshold (its connect arguments), put back for other statements.
_THRESHOLD = "intranet_prepare_threshold"


def planned_each_run(statement: E) -> E:
    """`statement`, never prepared on PostgreSQL (see the module's docstring)."""
    return statement.execution_options(**{_PLANNED_EACH_RUN: True})


@event.listens_for(Engine, "connect")
def _remember_threshold(dbapi_connection: Any, record: Any) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        record.info[_THRESHOLD] = dbapi_connection.prepare_threshold


@event.listens_for(Engine, "before_cursor_execute")
def _prepare_or_not(
    connection: Connection, _cursor: Any, _statement: str, _parameters: Any, context: Any,
    _executemany: bool,
) -> None:
    info = connection.connection.info
    if _THRESHOLD not in info:
        return  # not psycopg
    each_run = context is not None and context.execution_options.get(_PLANNED_EACH_RUN)
    threshold = None if each_run else info[_THRESHOLD]
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.prepare_threshold != threshold:
        dbapi_connection.prepare_threshold = threshold
