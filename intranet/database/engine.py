"""How the app talks to its database engine: the engine's options, SQLite's pragmas and
transaction policy, PostgreSQL's session settings (listeners on every Engine, registered on
import), and whether the database answers at all (/healthz)."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from ..extensions import db
from .read_only import READ_ONLY

log = logging.getLogger(__name__)


def engine_options(url: str, prepared_statements: bool) -> dict[str, Any]:
    """SQLAlchemy's engine options for the database at `url`.

    PostgreSQL: pool_pre_ping, so a connection the server ended while it was pooled (a
    restart, a pooler going away) is replaced before a request uses it. Its empty statement
    costs a round trip per request (~0.1-0.3 ms of a 4-6 ms page, make bench), kept: only
    an answer from the server proves the session is alive.
    `prepared_statements` False: psycopg never prepares a statement on the server (it prepares
    one after its 5th run on a connection by default), for a pooler that hands each
    transaction to another server session (README, "PostgreSQL behind a pooler").
    """
    if not url.startswith("postgresql"):
        return {}
    options: dict[str, Any] = {"pool_pre_ping": True}
    if not prepared_statements:
        options["connect_args"] = {"prepare_threshold": None}
    return options


def _is_pysqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def _is_psycopg(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work during a write; the busy timeout makes writers wait, not fail.
    if _is_pysqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # 16 MiB of page cache instead of 2: the compliance figures read the declaration
        # indexes whole, and at province scale they no longer fit in the default.
        cursor.execute("PRAGMA cache_size=-16384")
        cursor.close()
        # sqlite3 would BEGIN (deferred) only at the first write; _sqlite_begin does it instead.
        dbapi_connection.isolation_level = None


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection: Any, _record: Any) -> None:
    # No JIT: the compliance statements are estimated costly enough for PostgreSQL to compile
    # them to machine code, which took 55 of their 75 ms at province scale (make bench).
    if _is_psycopg(dbapi_connection):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()  # a SET rolled back with its transaction would not last


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    """Start every SQLite transaction with BEGIN IMMEDIATE (SQLAlchemy's pysqlite recipe).

    A deferred transaction that reads, then writes after another worker's commit fails
    at once with "database is locked" (the busy timeout cannot help it); IMMEDIATE takes
    the write lock up front, so a second writer waits its turn instead.
    """
    if connection.dialect.name != "sqlite" or connection.dialect.driver != "pysqlite":
        return
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # a caller that asked for no transaction (e.g. /healthz) gets none
    # After an AUTOCOMMIT use the pool restores sqlite3's own BEGIN; take it away again.
    connection.connection.dbapi_connection.isolation_level = None
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")  # a page that never writes (database/read_only.py)
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def database_answers() -> bool:
    """`SELECT 1` outside any transaction, so the probe never queues behind SQLite's writer."""
    try:
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; logged, not shown
        log.warning("health check: database unavailable: %s", type(error).__name__)
        return False
    return True
