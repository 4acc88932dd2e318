"""The admin's preview of a run: what send.preview() answers for every reason, the staff
counted from two columns a person rather than planned one item each (thousands of them)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, and_, bindparam, not_, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Employee
from .compose import usable_address
from .due import STAFF_DECLARED_AT, Recipient, StaffDue, _language, staff_due_conditions
from .models import Reason, ReminderSend, SendStatus
from .send import Item, RunReport, _to_try, plan_few, recorded, staff_item
from .settings import period_of


@dataclass(frozen=True)
class Overview:
    """What run() would do: its counts, the first `listed` reminders it would still try, in
    its order, how many it would try in all, and the first it would try for each reason."""

    report: RunReport
    items: list[Item]
    pending: int
    first: dict[Reason, Item]


def counted_preview(today: date, now: datetime, retryable: Iterable[SendStatus], listed: int) -> Overview:
    """preview(every reason)'s counts and its first `listed` items, in a fixed number of
    statements: the staff are counted from two columns a person and only the first `listed`
    are read in full (tests/test_reminders_overview.py checks it against preview()); the heads
    and admins, a few hundred at most, are planned."""
    config = current_app.config
    period = period_of(today, config["REMINDERS_PERIOD"])
    params = {
        "now": now, "cutoff": now - timedelta(days=config["REMINDERS_PENDING_DAYS"]),
        "period": period, "retryable": [status.value for status in retryable],
    }
    report = RunReport(dry_run=True)
    # Each address judged by usable_address() itself, as run() will: ~10,000 plain rows read
    # cost less than judging them in SQL (~20 ms against ~40 on SQLite), and there is one rule.
    rows = db.session.connection().execute(_staff_counts(), params).all()
    if rows:  # no staff line when nobody is due, as in preview()
        tally = report.tally(Reason.STAFF)
        tally.due = len(rows)
        for address, already in rows:
            if already:
                tally.already += 1
            elif usable_address(address) is None:
                tally.no_address += 1
        tally.delivered = tally.due - tally.already - tally.no_address
    staff = [  # at least the first, for the sample message
        staff_item(period, StaffDue(Recipient(id_, name, email, _language(language)), status, at))
        for id_, name, email, language, status, at in db.session.execute(
            _staff_listed(), {**params, "listed": max(listed, 1)}
        )
    ]
    items = staff[:listed]
    pending = sum(tally.delivered + tally.no_address for tally in report.tallies.values())
    first = {Reason.STAFF: staff[0]} if staff else {}
    others = plan_few(list(Reason), today)
    done = recorded(others)
    again = {status.value for status in retryable}
    for item in others:
        tally = report.tally(item.reason)
        if not _to_try(item, tally, done, again):
            continue
        pending += 1
        first.setdefault(item.reason, item)
        if len(items) < listed:
            items.append(item)
        if usable_address(item.recipient.email) is None:
            tally.no_address += 1
        else:
            tally.delivered += 1
    return Overview(report, items, pending, first)


def _previous():
    """The staff reminder this period's runs recorded for the person, if any."""
    return aliased(ReminderSend, name="previous")


def _joined(query: Select, previous) -> Select:
    return query.select_from(Employee).outerjoin(
        previous,
        and_(previous.employee_id == Employee.id, previous.reason == Reason.STAFF.value,
             previous.period == bindparam("period")),
    ).where(*staff_due_conditions())


def _to_try_again(previous) -> object:
    """As send._to_try: nothing recorded, or a retryable failure recorded."""
    return or_(previous.status.is_(None),
               previous.status.in_(bindparam("retryable", expanding=True)))


@cache
def _staff_counts() -> Select:
    """Each person due a staff reminder: their address, and whether an earlier run's outcome
    stands (nothing to try)."""
    previous = _previous()
    return _joined(select(Employee.email, not_(_to_try_again(previous))), previous)


@cache
def _staff_listed() -> Select:
    """The first `listed` staff reminders still to try, in run()'s order (by name)."""
    previous = _previous()
    query = select(
        Employee.id, Employee.full_name, Employee.email, Employee.language, Employee.vneid_status,
        STAFF_DECLARED_AT,
    )
    return (
        _joined(query, previous).where(_to_try_again(previous))
        .order_by(Employee.sort_key, Employee.id).limit(bindparam("listed"))
    )
