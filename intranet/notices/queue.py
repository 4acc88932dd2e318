"""Notices still awaiting action, with their reply deadline: a head's or the admin's queue,
and every open notice for the admin. The reminders (issue 18) read the same function."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import NamedTuple, Protocol, TypeVar

from sqlalchemy import Select, bindparam, case, func, select

from ..access import (
    acts_on_notice, acts_on_notices, can_act_on_notice, heads_a_unit, proposes_on_leaders,
)
from ..compliance.memo import remembered
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, NoticeCase, Unit
from ..paging import one_page
from .state import notice_open


class OpenNotice(NamedTuple):
    """What the queues, the reminders and the access rule (access.can_act_on_notice) read of
    an open notice: plain columns, since the admin's list holds thousands (a named tuple: a
    frozen dataclass took four times as long to make, ~3 ms of the list's ~2,900 rows)."""
    id: int
    employee_id: int
    unit_id: int
    route: str
    reference_number: str
    notice_date: date
    employee_name: str
    unit_name: str
    issuing_body: str
    cases: int


class AwaitingNotice(NamedTuple):
    notice: OpenNotice
    due_on: date | None
    overdue: bool
    days_left: int | None  # calendar days until the deadline; negative once it has passed


@cache
def _open() -> Select:
    """Standing notices no standing decision covers, the most pressing first: overdue ones,
    then by deadline (notices recorded before deadlines existed last), then oldest. Built once:
    its aliases cost more to build than the statement costs to run for one head."""
    # count(*): PostgreSQL counts from the notice_id index alone (count(id) read each row).
    cases = (
        select(func.count()).select_from(NoticeCase)
        .where(NoticeCase.notice_id == Notice.id).scalar_subquery()
    )
    return (
        select(
            Notice.id, Notice.employee_id, Notice.unit_id, Notice.route, Notice.reference_number,
            Notice.notice_date, Employee.full_name, Unit.name, IssuingBody.name, cases,
            Notice.reply_due_on,
        )
        .join(Employee, Employee.id == Notice.employee_id)
        .join(Unit, Unit.id == Notice.unit_id)
        .join(IssuingBody, IssuingBody.id == Notice.issuing_body_id)
        .where(notice_open())
        .order_by(Notice.reply_due_on.is_(None), Notice.reply_due_on, Notice.notice_date, Notice.id)
    )


def _awaiting(query: Select, today: date) -> list[AwaitingNotice]:
    rows: list[AwaitingNotice] = []
    append, notice = rows.append, OpenNotice._make
    for row in db.session.connection().execute(query).all():  # fetched at once
        due = row[10]  # the statement's last column, after OpenNotice's
        if due is None:
            append(AwaitingNotice(notice(row[:10]), None, False, None))
        else:
            append(AwaitingNotice(notice(row[:10]), due, due < today, (due - today).days))
    return rows


def notices_awaiting(user: Employee, today: date) -> list[AwaitingNotice]:
    """The open notices `user` is the one to act on (access.acts_on_notice), overdue first."""
    if not acts_on_notices(user):
        return []  # no statement: every employee's home page asks
    return _awaiting(_open().where(acts_on_notice(user)), today)


class Routed(Protocol):
    """What access.can_act_on_notice reads of a notice."""

    @property
    def employee_id(self) -> int | None: ...

    @property
    def route(self) -> str: ...

    @property
    def unit_id(self) -> int: ...


R = TypeVar("R")


def _each(
    users: Sequence[Employee], rows: list[R], notice: Callable[[R], Routed]
) -> dict[int, list[R]]:
    """Each user's share of `rows` (user id -> rows, in `rows`' order) by access.can_act_on_notice,
    asked only of the rows it could give them: their unit's, and those routed to the admin."""
    by_unit: dict[int, list[tuple[int, R]]] = {}
    to_admin: list[tuple[int, R]] = []
    for position, row in enumerate(rows):
        routed = notice(row)
        if routed.route == "admin":
            to_admin.append((position, row))
        else:
            by_unit.setdefault(routed.unit_id, []).append((position, row))
    mine: dict[int, list[R]] = {}
    for user in users:
        candidates = list(by_unit.get(user.unit_id, [])) if heads_a_unit(user) else []
        if proposes_on_leaders(user):
            candidates = sorted(candidates + to_admin, key=lambda entry: entry[0])
        mine[user.id] = [row for _at, row in candidates if can_act_on_notice(user, notice(row))]
    return mine


def notices_awaiting_each(users: list[Employee], today: date) -> dict[int, list[AwaitingNotice]]:
    """`notices_awaiting` for many people at once (user id -> their notices, in the queue's
    order): one statement for every open notice, then each person's by the same rule in Python
    (access.can_act_on_notice), so the reminders ask as much for one head as for 200."""
    return _each(users, _awaiting(_open(), today), lambda row: row.notice)


class OpenNotices(NamedTuple):
    """Open notices alike for access.can_act_on_notice, counted: their route, their unit, and
    whom they are about when that is one of the people asked about (None: someone else, whom
    the rule never compares with those people)."""
    route: str
    unit_id: int
    employee_id: int | None
    count: int


@cache
def _open_counts() -> Select:
    """The open notices counted by route, unit and (for `people` only) whom they are about:
    a few hundred rows where the queue's statement reads each notice with its names."""
    about = case((Notice.employee_id.in_(bindparam("people", expanding=True)), Notice.employee_id))
    notices = (
        select(Notice.route, Notice.unit_id, about.label("about"))
        .where(notice_open()).subquery("open_notices")
    )
    return (
        select(notices.c.route, notices.c.unit_id, notices.c.about, func.count())
        .group_by(notices.c.route, notices.c.unit_id, notices.c.about)
    )


def notices_awaiting_counts(users: Sequence[Employee]) -> dict[int, int]:
    """How many notices await each of `users` (user id -> len(notices_awaiting(user, ...))),
    by the same rule, in one statement however many notices and people: for the admin's
    preview of the reminders, which needs the counts and only one person's notices in full."""
    if not users:
        return {}
    people = tuple(sorted(user.id for user in users))

    def count() -> list[OpenNotices]:
        rows = db.session.connection().execute(_open_counts(), {"people": list(people)})
        return [OpenNotices._make(row) for row in rows]

    # Kept per figures version (compliance/memo.py): the counts read only notices and their
    # decisions, whose every write moves it, and the people, who are in the key.
    groups = remembered(("open notices", people), count)
    return {user_id: sum(group.count for group in mine)
            for user_id, mine in _each(users, groups, lambda group: group).items()}


def open_notices_page(today: date, page: int, size: int) -> tuple[list[AwaitingNotice], bool]:
    """Page `page` (from 1) of every open notice across units, in the queue's order, and
    whether a later page exists: a province has thousands open at a month's end."""
    return one_page(_open(), page, size, read=lambda query: _awaiting(query, today))
