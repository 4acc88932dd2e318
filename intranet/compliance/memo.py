"""Figures worked out once per figures version, then shown again until a record they count
is written (intranet/database/figures_version.py: the database moves the number in the
transaction that writes the record, so the figures kept under a number are those of every
moment it stands at). After such a write, what no record written since can change is kept
too: figures of a month that ended before every day those records are dated on
(intranet/database/figures_dated.py; see remembered's `refresh`).

Each worker keeps the last few results (a month's table, a unit's figures, a history) in
memory. A page reads the number first and works figures out after, in the same
transaction: figures kept under n are never older than n. Only read-only requests
(database/read_only.py) keep or reuse anything: a transaction that writes sees its own
records before they are committed, and, rolled back, would leave figures filed under a
number that another writer's records are about to take.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from threading import Lock
from typing import Any, NamedTuple, TypeVar

from flask import current_app, g, has_request_context

from ..database import figures_dated
from ..database.read_only import in_read_only_transaction
from ..extensions import db
from ..months import Month
from .params import is_running

T = TypeVar("T")
# Per worker: the months and units an admin moves between, each sorted a few ways. A
# history of 200 units is ~0.3 MB (tracemalloc): 32 of them would still be under 10 MB.
KEPT = 32
EXTENSION = "compliance_memo"  # the worker's Memo, in app.extensions
_MISSING = object()


class Memo:
    """The last KEPT results by key, safe between a worker's threads."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Hashable) -> Any:
        with self.lock:
            value = self.entries.get(key, _MISSING)
            if value is not _MISSING:
                self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def last_kept(self, key: Hashable) -> tuple[Hashable, Any] | None:
        """(version, result) of the result last kept under `key`, at whichever version."""
        with self.lock:
            for (version, kept_key), value in reversed(self.entries.items()):
                if kept_key == key:
                    return version, value
            return None

    def oldest_number(self) -> int | None:
        """The lowest figures version anything is kept under (None: nothing kept)."""
        with self.lock:
            return min((version[1] for version, _key in self.entries), default=None)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def _read_only_request() -> bool:
    return has_request_context() and in_read_only_transaction(db.session())


def _version() -> tuple[str, int]:
    """The number, read once per transaction before any figures are worked out in it. Kept
    with the transaction it was read in, not for the whole `g`: Flask reuses an app context
    already pushed (a script's, a test's), and its `g`, for each request made in it. Read with
    the days written since the oldest number anything is kept under (figures_dated), so a
    result kept at an earlier number is refreshed without another statement."""
    return _read().version


class _Read(NamedTuple):
    transaction: Any
    version: tuple[str, int]
    since: int | None
    days: list[tuple[date, int]]


def _read() -> _Read:
    transaction = db.session().get_transaction()  # the request's Session, not its registry
    kept: _Read | None = g.get("figures_version")
    if kept is None or kept.transaction is not transaction:
        since = _memo().oldest_number()
        version, days = figures_dated.current_with_days(db.session, since)
        kept = g.figures_version = _Read(transaction, version, since, days)
    return kept


def _first_day_since(n: int) -> date | None:
    """The earliest day a record written after version `n` is dated on: from the days read
    with the number, unless `n` is older than what they cover (a result another thread kept
    meanwhile, worked out at an older number), then asked."""
    read = _read()
    if read.since is None or n < read.since:
        return figures_dated.first_day_since(db.session, n)
    return min((day for day, written in read.days if written > n), default=None)


def _memo() -> Memo:
    return current_app.extensions.setdefault(EXTENSION, Memo())


def remembered(
    key: Hashable, compute: Callable[[], T],
    refresh: Callable[[date | None, T], T] | None = None,
) -> T:
    """compute()'s answer, or the one it gave at this figures version. Kept results are
    shared between requests: plain data, never changed (no ORM objects: they belong to the
    session of the request that loaded them).

    `refresh(first_day, kept)`, if given, is asked instead of compute() when a result is kept
    under the same key at another version of the same epoch: `first_day` is the earliest
    day a record written since is dated on (database/figures_dated.py; None: none written),
    and it must answer what compute() would now, reusing from `kept` only what no record
    dated on or after that day can change."""
    if not _read_only_request():
        return compute()
    memo = _memo()
    version = _version()
    full = (version, key)
    value = memo.get(full)
    if value is _MISSING:
        earlier = memo.last_kept(key) if refresh is not None else None
        if earlier is not None and earlier[0][0] == version[0]:
            (_epoch, n), kept = earlier
            value = refresh(_first_day_since(n), kept)
        else:
            value = compute()
        memo.put(full, value)
    return value


def kept_while_ended(month: Month, compute: Callable[[], T]) -> Callable[[date | None, T], T] | None:
    """remembered()'s `refresh` for figures of `month` worked out by compute(): once the month
    has ended, a result kept at an earlier version stands while every record written since is
    dated after its end (database/figures_dated.py), else it is worked out again. None for a
    running month (its figures read the employee rows too, which date nothing)."""
    if is_running(month):
        return None
    return lambda first_day, kept: (
        kept if figures_dated.dated_after(first_day, month.ends_utc()) else compute()
    )
