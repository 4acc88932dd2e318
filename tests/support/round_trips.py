"""What the app says to PostgreSQL, message by message (libpq's own trace), to count round trips.

Each round trip ends with a Sync (a statement sent with parameters, psycopg's way, or prepared)
or is one Query (a statement as plain text: BEGIN, COMMIT, the empty statement of a pre-ping).
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from psycopg import pq
from sqlalchemy import event

from intranet.extensions import db

MESSAGE = re.compile(r"[FB]\t\d+\t")


@dataclass
class Sent:
    """The messages the app sent while counting: (type, text) pairs, e.g. ("Query", '"BEGIN"')."""

    messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def round_trips(self) -> int:
        return sum(1 for kind, _ in self.messages if kind in ("Sync", "Query"))

    @property
    def prepares(self) -> int:
        """Statements prepared on the server (psycopg does it on a statement's 5th run on a
        connection): a round trip of their own, once."""
        return sum(1 for kind, text in self.messages if kind == "Parse" and not text.startswith('""'))

    @property
    def plain_text(self) -> list[str]:
        """The statements sent as plain text, e.g. ['"BEGIN"', '"COMMIT"']."""
        return [text for kind, text in self.messages if kind == "Query"]


class Tracer:
    """Follows every connection the app's engine opens from now on (the pool is emptied)."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.connections: list[Any] = []
        event.listen(self.engine, "connect", self._opened)
        self.engine.dispose()

    def _opened(self, dbapi_connection: Any, _record: Any) -> None:
        self.connections.append(dbapi_connection)

    def stop(self) -> None:
        event.remove(self.engine, "connect", self._opened)

    @contextmanager
    def sent(self) -> Iterator[Sent]:
        """The frontend messages sent on the app's open connections while the block runs."""
        sent = Sent()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "trace"
            with path.open("w") as trace:
                traced = [c for c in self.connections if not c.closed]
                for connection in traced:
                    connection.pgconn.trace(trace.fileno())
                    connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
                try:
                    yield sent
                finally:
                    for connection in traced:
                        if not connection.closed:
                            connection.pgconn.untrace()  # flushes what libpq wrote
            for line in path.read_text().splitlines():
                # A message starts a line; a statement's own line breaks are written as they are.
                if MESSAGE.match(line):
                    parts = line.split("\t", 3)
                    if parts[0] == "F":
                        sent.messages.append((parts[2], parts[3].strip() if len(parts) > 3 else ""))
