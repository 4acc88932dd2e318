"""One transaction per request, committed in one place: when the view has returned.

A view and the services it calls only add and flush; the request's writes (and the audit
row that goes with them) are committed together here, after the view returns. A request
that fails never gets here with anything to commit: every error page (intranet/errors.py)
rolls the transaction back first, and a rule violation shown beside a form is rolled back
by intranet/submit.py. Commands and scripts (no request) commit for themselves.

One kind of request writes after reading instead: a file whose taking is logged
(intranet/downloads.py) is read in a read-only transaction, then its audit row is committed
by write_after_reading, here too, before the file is sent.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from ..extensions import db
from .read_only import in_read_only_transaction


def commit_each_request(app: Flask) -> None:
    @app.after_request
    def commit(response: Response) -> Response:
        # A failed commit raises here and becomes the error page, after its rollback.
        db.session.commit()
        return response


def discard() -> None:
    """Roll back the request's writes: it failed, or showed a rule violation."""
    db.session.rollback()


class NotReadOnly(RuntimeError):
    """write_after_reading() in a transaction that may hold writes: a bug, never a user's doing."""


def write_after_reading(write: Callable[[], object]) -> None:
    """End the request's read-only transaction, then run write() in a short transaction of
    its own and commit it now: the request answers only once it is kept, and a failure
    raises (the error page). On SQLite the write lock is taken for the write alone, not
    while the request read (BEGIN IMMEDIATE, database/engine.py)."""
    session = db.session()
    if session.in_transaction() and not in_read_only_transaction(session):
        # Ending it here would drop, or commit out of turn, what the request wrote.
        raise NotReadOnly("write_after_reading() outside a read-only transaction")
    # It only read, so a commit ends it as a rollback would; one that expires nothing keeps
    # what the request loaded (the signed-in user the audit row names) without reading it
    # a second time inside the write transaction.
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
    write()
    session.commit()
