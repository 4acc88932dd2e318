"""Long lists shown a page at a time (the audit log, the reminders sent, the open notices):
their filters, the page asked for, and one page of an ordered query with whether a later one
exists."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import Select

from .extensions import db

T = TypeVar("T")
PAGE_SIZE = 100
MAX_PAGE = 100_000  # no list is that long; a larger offset would only cost the database


class ListFilterForm(FlaskForm):
    """A list's filters, read from the query string; nothing is written, so no CSRF token."""

    class Meta:
        csrf = False

    def filters(self, valid: bool) -> dict[str, Any]:
        """Each filter by its field's name; none at all (the whole list) when the form is not
        `valid`, the page then saying why beside the field."""
        return {name: field.data if valid else None for name, field in self._fields.items()}


def _first_column(query: Select[Any]) -> Sequence[Any]:
    return db.session.scalars(query).all()


def requested_page() -> int:
    """`?page=` as a page number from 1 to MAX_PAGE (1 when absent or not a number)."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def one_page(
    query: Select[Any], page: int, size: int = PAGE_SIZE,
    read: Callable[[Select[Any]], Sequence[T]] = _first_column,
) -> tuple[list[T], bool]:
    """The rows of `page` (from 1) of the ordered `query`, read by `read` (by default each
    row's first column), and whether a later page exists: one row more than a page is asked
    for, rather than a count."""
    rows = list(read(query.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size
