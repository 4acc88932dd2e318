"""The admin's preview of a run: what send.preview() answers for every reason, counted rather
than planned: the staff from two columns a person (thousands of them), the heads' notices by
one grouped count, and only the reminders the page lists or shows read in full."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import (
    ColumnElement, Select, and_, bindparam, case, exists, func, literal_column, or_, select,
)
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Employee, Unit
from ..months import Month
from ..notices import queue
from .addresses import usable_address
from .compose import head_draft
from .due import (
    NOTICE_RECIPIENT, NOTICE_ROLES, STAFF_DECLARED_AT, SUMMARY_RECIPIENT, Recipient, StaffDue,
    _language, _recipient, by_name, head_due, month_summary, staff_due_conditions,
)
from .models import Reason, ReminderSend, SendStatus
from .send import Item, RunReport, _to_try, admin_items, outcome_stands, staff_item
from .settings import closed_month, period_of


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
    statements (tests/test_reminders_overview.py checks it against preview()): the staff are
    counted from two columns a person and only the first `listed` are read in full; the heads'
    notices are counted (notices/queue.py) and read only for a message composed."""
    config = current_app.config
    period = period_of(today, config["REMINDERS_PERIOD"])
    params = {
        "now": now, "cutoff": now - timedelta(days=config["REMINDERS_PENDING_DAYS"]),
        "period": period, "retryable": [status.value for status in retryable],
    }
    report = RunReport(dry_run=True)
    again = {status.value for status in retryable}
    groups = db.session.connection().execute(_staff_counts(), params).all()
    if groups:  # no staff line when nobody is due, as in preview()
        tally = report.tally(Reason.STAFF)
        for previous, address, count, judged in groups:
            tally.due += count
            if outcome_stands(previous, again):
                tally.already += count
            elif judged < count and usable_address(address) is None:
                tally.no_address += count - judged
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
    others, done = _others(today, period)
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


def _others(today: date, period: str) -> tuple[list[Item], dict[tuple[int, str, str], str]]:
    """send.plan_few(every reason) and what send.recorded() finds for it, the heads' notices
    counted: one statement for the people and their earlier outcomes, one for the counts.
    A head's reminder reads their notices only when it is composed (the page's sample)."""
    month = closed_month(today)
    people = by_name(db.session.execute(
        _people(), {"period": period, "summary_period": month.iso}
    ).all(), lambda row: row[0])
    done: dict[tuple[int, str, str], str] = {}
    for person, _unit, _notices, _summary, heads_status, admin_status in people:
        if heads_status is not None:
            done[(person.id, Reason.HEADS.value, period)] = heads_status
        if admin_status is not None:
            done[(person.id, Reason.ADMIN.value, month.iso)] = admin_status
    asked = [row for row in people if row[2]]
    awaiting = queue.notices_awaiting_counts([person for person, *_ in asked])
    running = Month.containing(today)
    items = [
        Item(Reason.HEADS, period, _recipient(person),
             lambda links, html=True, p=person, u=unit_name:
             head_draft(head_due(p, u, running, today), links, html))
        for person, unit_name, *_ in asked if awaiting[person.id]
    ]
    admins = [_recipient(person) for person, _unit, _notices, summary, *_ in people if summary]
    if admins:
        items += admin_items(month_summary(month), admins)
    return items, done


@cache
def _people() -> Select:
    """Whoever may be reminded of notices or get the month's summary, with their unit's name,
    which of the two they may get, and the outcome recorded this period for each, if any
    (joined on the ledger's unique key, as send.recorded() reads it)."""
    heads_sent = aliased(ReminderSend, name="heads_sent")
    summary_sent = aliased(ReminderSend, name="summary_sent")
    return (
        select(Employee, Unit.name, NOTICE_RECIPIENT.label("notices"),
               SUMMARY_RECIPIENT.label("summary"), heads_sent.status, summary_sent.status)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(heads_sent, and_(heads_sent.employee_id == Employee.id,
                                    heads_sent.reason == Reason.HEADS.value,
                                    heads_sent.period == bindparam("period")))
        .outerjoin(summary_sent, and_(summary_sent.employee_id == Employee.id,
                                      summary_sent.reason == Reason.ADMIN.value,
                                      summary_sent.period == bindparam("summary_period")))
        # NOTICE_ROLES holds for both (an admin is asked about notices): said on its own, it
        # lets SQLite read the 200 from ix_employee_notice_roles, not scan the 20,000 staff.
        .where(NOTICE_ROLES, or_(NOTICE_RECIPIENT, SUMMARY_RECIPIENT))
    )


def _outcome_stands() -> ColumnElement[bool]:
    """send.outcome_stands in SQL: an earlier run this period recorded the person's staff
    reminder with a status that is not a retryable failure. Asked as NOT EXISTS, PostgreSQL
    expects most staff to be still to try and walks the name index for the first 200 (after
    a left join it expected a hundred, and sorted all 10,000: 15 ms against 2)."""
    previous = aliased(ReminderSend, name="previous")
    return exists().where(
        previous.employee_id == Employee.id, previous.reason == Reason.STAFF.value,
        previous.period == bindparam("period"),
        previous.status.not_in(bindparam("retryable", expanding=True)),
    )


@cache
def _staff_counts() -> Select:
    """The staff due a reminder, counted by the status an earlier run this period recorded for
    them (the ledger's unique key; judged by send.outcome_stands) and by address, with how many
    of each group have a stored verdict that is their address itself (usable_address is
    idempotent: it takes that address as it is). Those fall in one group a status, the
    others' addresses are judged again by usable_address: a few rows where reading each
    person's address was ~10,000 rows (~8 ms of Python a page on SQLite).

    `id > 0` holds for everyone: it has SQLite walk the table in id order (11 ms), where for
    a grouped count it chose a skip-scan of ix_employee_roster_status and a table seek a row
    (16 ms); PostgreSQL reads the whole table either way."""
    previous = aliased(ReminderSend, name="previous")
    judged = Employee.usable_email == Employee.email
    address = case((judged, None), else_=Employee.email)
    return (
        select(previous.status, address, func.count(), func.sum(case((judged, 1), else_=0)))
        .outerjoin(previous, and_(previous.employee_id == Employee.id,
                                  previous.reason == Reason.STAFF.value,
                                  previous.period == bindparam("period")))
        .where(*staff_due_conditions(), Employee.id > literal_column("0"))
        .group_by(previous.status, address)
    )


@cache
def _staff_listed() -> Select:
    """The first `listed` staff reminders still to try, in run()'s order (by name)."""
    return (
        select(Employee.id, Employee.full_name, Employee.email, Employee.language,
               Employee.vneid_status, STAFF_DECLARED_AT)
        .where(*staff_due_conditions(), ~_outcome_stands())
        .order_by(Employee.sort_key, Employee.id).limit(bindparam("listed"))
    )
