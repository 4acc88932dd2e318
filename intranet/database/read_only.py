"""Pages that only read: on SQLite their transaction does not queue for the write lock; on
PostgreSQL their statements run without BEGIN and COMMIT."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db

# The execution option _sqlite_begin (engine.py) reads.
READ_ONLY = "intranet_read_only"

# On PostgreSQL a page that never writes runs each statement on its own (AUTOCOMMIT): at
# READ COMMITTED, its default level, every statement of a transaction takes a snapshot of
# its own anyway, so the page reads what it read before, without the BEGIN and the COMMIT,
# two of the round trips to the server that made small pages 1.5x SQLite's time (make bench).
_OPTIONS: dict[str, dict[str, Any]] = defaultdict(
    lambda: {READ_ONLY: True}, postgresql={READ_ONLY: True, "isolation_level": "AUTOCOMMIT"},
)
# A file read before it is sent (intranet/downloads.py) is one transaction on both databases:
# one snapshot for all its statements, so its sheets agree (SQLite's deferred BEGIN gives
# one too), and SET LOCAL holds for the whole of it (compliance/staff.py's sort memory).
_SNAPSHOT_OPTIONS: dict[str, dict[str, Any]] = defaultdict(
    lambda: {READ_ONLY: True},
    postgresql={READ_ONLY: True, "isolation_level": "REPEATABLE READ", "postgresql_readonly": True},
)


def read_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Start the request's transaction as a plain (deferred) BEGIN instead of BEGIN IMMEDIATE.

    Every SQLite transaction takes the write lock up front so that a read-then-write cannot
    fail halfway; a page that never writes needs no lock, only WAL's consistent snapshot.
    Under load, heavy read-only pages queued behind each other for the lock, and one that
    waited past the busy timeout failed with "database is locked" (make bench). Put it
    outside the access check, so the transaction starts here, before the user is loaded;
    never on a view that writes (a file whose taking is logged: intranet/downloads.py).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin_read_only()
        return view(*args, **kwargs)

    return wrapper


def read_only_unless_posted(view: Callable[..., Any]) -> Callable[..., Any]:
    """@read_only for a form page: its GET only reads, its POST writes (as usual)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method in ("GET", "HEAD"):
            begin_read_only()
        return view(*args, **kwargs)

    return wrapper


def begin_read_only() -> None:
    db.session.connection(execution_options=_OPTIONS[db.session.get_bind().dialect.name])


def begin_read_only_snapshot() -> None:
    """begin_read_only(), but as one transaction with one snapshot on PostgreSQL too."""
    db.session.connection(execution_options=_SNAPSHOT_OPTIONS[db.session.get_bind().dialect.name])


def in_read_only_transaction(session: Session) -> bool:
    """Whether `session` is inside a transaction begun by begin_read_only()."""
    return session.in_transaction() and bool(
        session.connection().get_execution_options().get(READ_ONLY)
    )


class ReadOnlyWrite(RuntimeError):
    """A page marked read-only tried to write: a bug, never a user's doing."""


@event.listens_for(Session, "before_flush")
def _refuse_writes(session: Session, *_args: Any) -> None:
    # On PostgreSQL such a page runs in AUTOCOMMIT: each row would be committed on its own,
    # and a failure halfway would leave half a record. Fail the request instead (an error
    # page, nothing written).
    if in_read_only_transaction(session):
        raise ReadOnlyWrite("a page marked @read_only tried to write")
