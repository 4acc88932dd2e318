"""The admin's preview of a run, counted in SQL: what preview() answers for every reason,
without planning an item for each of thousands of staff."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, and_, bindparam, case, func, literal, not_, or_, select
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
    statements: the staff are counted and listed by SQL (tests/test_reminders_overview.py
    checks it against preview()); the heads and admins, a few hundred at most, are planned."""
    config = current_app.config
    period = period_of(today, config["REMINDERS_PERIOD"])
    params = {
        "now": now, "cutoff": now - timedelta(days=config["REMINDERS_PENDING_DAYS"]),
        "period": period, "retryable": [status.value for status in retryable],
    }
    dialect = db.session.get_bind().dialect.name
    report = RunReport(dry_run=True)
    tally = report.tally(Reason.STAFF)
    for usable, address, already, people in db.session.execute(_staff_counts(dialect), params):
        tally.due += people
        if already:
            tally.already += people
        elif usable if usable is not None else usable_address(address) is not None:
            tally.delivered += people
        else:
            tally.no_address += people
    staff = [  # at least the first, for the sample message
        staff_item(period, StaffDue(Recipient(id_, name, email, _language(language)), status, at))
        for id_, name, email, language, status, at in db.session.execute(
            _staff_listed(), {**params, "listed": max(listed, 1)}
        )
    ]
    items = staff[:listed]
    pending = tally.delivered + tally.no_address
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
def _staff_counts(dialect: str) -> Select:
    """The staff due, counted by whether an earlier run's outcome stands and by address:
    usable (true or false) when plain_address() can tell, else the address itself, for
    usable_address() to judge (the rare address with other characters)."""
    previous = _previous()
    plain = plain_address(Employee.email, dialect)
    usable = case((plain, one_at_inside(Employee.email)), else_=None).label("usable")
    odd = case((plain, None), else_=Employee.email).label("odd")
    already = not_(_to_try_again(previous)).label("already")
    return _joined(select(usable, odd, already, func.count()), previous).group_by(usable, odd, already)


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


# The characters of plain addresses: usable_address() accepts such an address exactly when it
# has one @ with something on both sides and its domain does not start with a dot (nothing to
# strip, ASCII, no character it refuses). A "-" last in a class is itself in both dialects.
PLAIN = "A-Za-z0-9._+@-"


def plain_address(email, dialect: str):
    """True when `email` is made only of PLAIN's characters (so SQL can judge it); NULL for
    no address."""
    if dialect == "postgresql":
        return email.regexp_match(f"^[{PLAIN}]*$")
    return email.op("NOT GLOB")(literal(f"*[^{PLAIN}]*"))


def one_at_inside(email):
    """usable_address() of a plain address: one @, not first, not last, not before a dot."""
    return and_(
        func.length(email) - func.length(func.replace(email, "@", "")) == 1,
        not_(email.startswith("@", autoescape=True)),
        not_(email.endswith("@", autoescape=True)),
        not_(email.contains("@.", autoescape=True)),
    )
