"""The one SQL statement counter: what the app sends its database, for tests and the bench."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from intranet.extensions import db


class Statements:
    """The statements sent through the app's engine since it started listening (or since the
    last clear()), as text."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.seen: list[str] = []
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(statement)

    @property
    def count(self) -> int:
        return len(self.seen)

    def clear(self) -> None:
        self.seen.clear()

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@contextmanager
def recorded(app: Flask) -> Iterator[Statements]:
    """The statements the app sends while the block runs."""
    statements = Statements(app)
    try:
        yield statements
    finally:
        statements.stop()
