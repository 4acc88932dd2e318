"""Record ids from URLs and query strings, bounded to what the database can hold."""
from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; larger numbers would overflow, not just miss


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive id; anything else is simply not found (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        super().__init__(map, min=1, max=MAX_ID)


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None if absent or not an id."""
    value = request.args.get(name, "")
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID:
        return int(value)
    return None


def id_args(name: str) -> list[int]:
    values = request.args.getlist(name)
    return [int(v) for v in values if v.isascii() and v.isdigit() and 1 <= int(v) <= MAX_ID]
