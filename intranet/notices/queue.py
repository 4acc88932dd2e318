"""Notices still awaiting action, with their reply deadline: a head's or the admin's queue,
and every open notice for the admin. The reminders (issue 18) read the same function."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ..access import acts_on_notice, can_act_on_notice
from ..extensions import db
from ..models import Employee, Notice
from .state import notice_decided, notice_stands


@dataclass(frozen=True)
class AwaitingNotice:
    notice: Notice
    due_on: date | None
    overdue: bool
    days_left: int | None  # calendar days until the deadline; negative once it has passed


def _open() -> Select:
    """Standing notices no standing decision covers, the most pressing first: overdue ones,
    then by deadline (notices recorded before deadlines existed last), then oldest."""
    return (
        select(Notice)
        .where(notice_stands(), ~notice_decided())
        .options(
            joinedload(Notice.employee), joinedload(Notice.unit), joinedload(Notice.issuing_body),
            selectinload(Notice.cases),
        )
        .order_by(Notice.reply_due_on.is_(None), Notice.reply_due_on, Notice.notice_date, Notice.id)
    )


def _awaiting(query: Select, today: date) -> list[AwaitingNotice]:
    rows = []
    for notice in db.session.scalars(query).unique():
        due = notice.reply_due_on
        rows.append(AwaitingNotice(
            notice, due, due is not None and due < today, (due - today).days if due else None
        ))
    return rows


def notices_awaiting(user: Employee, today: date) -> list[AwaitingNotice]:
    """The open notices `user` is the one to act on (access.acts_on_notice), overdue first."""
    return _awaiting(_open().where(acts_on_notice(user)), today)


def notices_awaiting_each(users: list[Employee], today: date) -> dict[int, list[AwaitingNotice]]:
    """`notices_awaiting` for many people at once (user id -> their notices, overdue first):
    one query for every open notice, split by the same rule in Python
    (access.can_act_on_notice), so the reminders ask as much for one head as for fifty."""
    everywhere = _awaiting(_open(), today)
    return {user.id: [row for row in everywhere if can_act_on_notice(user, row.notice)] for user in users}


def open_notices_everywhere(today: date, unit_id: int | None = None) -> list[AwaitingNotice]:
    """Every open notice across units, for the admin, overdue first; optionally one unit's."""
    query = _open()
    if unit_id is not None:
        query = query.where(Notice.unit_id == unit_id)
    return _awaiting(query, today)
