"""Notices still awaiting action, with their reply deadline: a head's or the admin's queue,
and every open notice for the admin. The reminders (issue 18) read the same function."""
from __future__ import annotations

from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, func, select

from ..access import (
    acts_on_notice, acts_on_notices, can_act_on_notice, heads_a_unit, proposes_on_leaders,
)
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, NoticeCase, Unit
from .state import notice_decided, notice_stands


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
        .where(notice_stands(), ~notice_decided())
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


def notices_awaiting_each(users: list[Employee], today: date) -> dict[int, list[AwaitingNotice]]:
    """`notices_awaiting` for many people at once (user id -> their notices, in the queue's
    order): one statement for every open notice, then each person's by the same rule in Python
    (access.can_act_on_notice), asked only of the notices it could give them (their unit's,
    and those routed to the admin), so the reminders ask as much for one head as for 200."""
    everywhere = _awaiting(_open(), today)
    by_unit: dict[int, list[tuple[int, AwaitingNotice]]] = {}
    to_admin: list[tuple[int, AwaitingNotice]] = []
    for position, row in enumerate(everywhere):
        if row.notice.route == "admin":
            to_admin.append((position, row))
        else:
            by_unit.setdefault(row.notice.unit_id, []).append((position, row))
    mine: dict[int, list[AwaitingNotice]] = {}
    for user in users:
        candidates = list(by_unit.get(user.unit_id, [])) if heads_a_unit(user) else []
        if proposes_on_leaders(user):
            candidates = sorted(candidates + to_admin, key=lambda entry: entry[0])
        mine[user.id] = [row for _at, row in candidates if can_act_on_notice(user, row.notice)]
    return mine


def open_notices_everywhere(today: date, unit_id: int | None = None) -> list[AwaitingNotice]:
    """Every open notice across units, for the admin, overdue first; optionally one unit's."""
    query = _open()
    if unit_id is not None:
        query = query.where(Notice.unit_id == unit_id)
    return _awaiting(query, today)
