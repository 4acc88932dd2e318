"""Who is due which reminder: plain queries, shared by the emails and the home page so
that the two never disagree."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import TypeVar

from sqlalchemy import ColumnElement, DateTime, Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from ..compliance.figures import unit_compliance, unit_figures
from ..compliance.results import Figures
from ..compliance.staff import on_staff_at, status_groups
from ..declarations.service import is_latest_of
from ..extensions import db
from ..models import Declaration, Employee, Unit, VneidStatus
from ..months import Month
from ..notices import queue
from ..timelines import standing_declaration

T = TypeVar("T")


@dataclass(frozen=True)
class Recipient:
    employee_id: int
    full_name: str
    email: str | None
    language: str  # "vi" or "en"


def _language(chosen: str | None) -> str:
    return "en" if chosen == "en" else "vi"


def _recipient(employee: Employee) -> Recipient:
    return Recipient(employee.id, employee.full_name, employee.email, _language(employee.language))


# --- staff not on level 2 --------------------------------------------------------------


@dataclass(frozen=True)
class StaffDue:
    recipient: Recipient
    # Their latest declaration's status (None: never declared) and when they made it.
    status: str | None
    declared_at: datetime | None

    @property
    def pending(self) -> bool:
        return self.status == VneidStatus.LEVEL2_PENDING


def staff_due(now: datetime, pending_days: int) -> list[StaffDue]:
    """Staff on the roster now and not on level 2 (the compliance table's "missing"): never
    declared, level 1, no account, or waiting for activation since more than `pending_days`
    before `now` (naive UTC). By name."""
    rows = db.session.execute(_staff_due(), _moments(now, pending_days))
    return [
        StaffDue(Recipient(id_, name, email, _language(language)), status_, at)
        for id_, name, email, language, status_, at in rows
    ]


def _moments(now: datetime, pending_days: int) -> dict[str, object]:
    return {"now": now, "cutoff": now - timedelta(days=pending_days)}


# Their latest declaration's time: when a "waiting for activation" was declared.
STAFF_DECLARED_AT = standing_declaration(Employee.id, column="declared_at")


def staff_due_conditions() -> tuple[ColumnElement[bool], ...]:
    """Who staff_due answers, as conditions on Employee with the parameters `now` and
    `cutoff`: shared with the admin's preview, which counts them (reminders/overview.py)."""
    status = Employee.vneid_status
    return (
        on_staff_at(bindparam("now", type_=DateTime())),
        status_groups(status)["missing"],
        # A recent "waiting for activation" is left alone (spelled out: status may be NULL).
        or_(status.is_(None), status != VneidStatus.LEVEL2_PENDING,
            ~_declared_after(bindparam("cutoff", type_=DateTime()))),
    )


def _declared_after(moment: ColumnElement[datetime]) -> ColumnElement[bool]:
    """The employee made a declaration after `moment`: their latest one (STAFF_DECLARED_AT,
    the latest time of all) was. Asked as EXISTS, PostgreSQL answers it for all staff from one
    hash of the few recent declarations (ix_declaration_moment), where reading the latest one's
    time was a seek for each of ~4,500 people waiting for activation (9 of the reminders page's
    12 ms); for one person, and on SQLite, it is the same one seek."""
    recent = aliased(Declaration)
    return exists().where(recent.employee_id == Employee.id, recent.declared_at > moment)


@cache
def _staff_due() -> Select:
    """staff_due's statement, built once: the moment and the cutoff are bound parameters."""
    return select(
        Employee.id, Employee.full_name, Employee.email, Employee.language, Employee.vneid_status,
        STAFF_DECLARED_AT,
    ).where(*staff_due_conditions()).order_by(Employee.sort_key, Employee.id)


# --- heads: notices awaiting their proposal --------------------------------------------


@dataclass(frozen=True)
class AwaitingNotice:
    """A notice awaiting a proposal, as plain data (a run must not read through the session
    once it starts sending): what the email and the home page show of it."""

    notice_id: int
    employee_name: str
    reference_number: str
    notice_date: date
    issuing_body: str
    overdue: bool
    due_on: date | None


def notices_awaiting(user: Employee, today: date) -> list[AwaitingNotice]:
    """The notices waiting for `user`'s proposal, overdue first, then by reply deadline, then
    oldest: the heads' queue's own answer (intranet/notices/queue.py, access.acts_on_notice:
    a head's unit's notices, an admin's notices about heads; never about oneself), so that
    the queue page, the home page and the email never disagree."""
    return _plain(queue.notices_awaiting(user, today))


def _plain(rows: list[queue.AwaitingNotice]) -> list[AwaitingNotice]:
    return [
        AwaitingNotice(
            row.notice.id, row.notice.employee_name, row.notice.reference_number,
            row.notice.notice_date, row.notice.issuing_body, row.overdue, row.due_on,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class HeadDue:
    recipient: Recipient
    unit_name: str
    notices: list[AwaitingNotice]
    # The unit's figures this month (level 2 share), from the compliance table's query.
    figures: Figures


def by_name(rows: list[T], person: Callable[[T], Employee]) -> list[T]:
    """The few heads or admins in name order (sort key, then id), sorted here: asked to order
    them, SQLite walked the name index across all 20,000 staff to find 200 (~20 ms a list,
    against ~4 by the `active` index and this sort). Python's order of strings is the sort
    key's in both databases (SQLite's binary, PostgreSQL's "C" collation: code points)."""
    return sorted(rows, key=lambda row: (person(row).sort_key, person(row).id))


# Who is asked about notices awaiting a proposal (heads, admins, the leadership: whether any
# reaches them is access.acts_on_notice's), and who gets the closed month's summary.
# NOTICE_ROLES is also the condition of the partial index ix_employee_notice_roles (models.py),
# which holds the few hundred people with one of these roles: a statement that has it as one
# of its AND-ed terms reads them from there, not from a scan of all staff.
NOTICE_ROLES = or_(Employee.is_head.is_(True), Employee.is_admin.is_(True),
                   Employee.is_leader.is_(True))
NOTICE_RECIPIENT = and_(Employee.active.is_(True), NOTICE_ROLES)
SUMMARY_RECIPIENT = and_(Employee.active.is_(True), Employee.is_admin.is_(True))


def heads_due(month: Month, today: date) -> list[HeadDue]:
    """Everyone with at least one notice awaiting their proposal (heads, admins and the
    leadership, who propose on notices about heads), by name, with their unit's figures for
    `month`, in a fixed number of statements however many heads there are."""
    people = by_name(db.session.execute(
        select(Employee, Unit.name)
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(NOTICE_RECIPIENT)
    ).all(), lambda row: row[0])
    awaiting = queue.notices_awaiting_each([person for person, _ in people], today) if people else {}
    waiting = [(person, unit_name, _plain(awaiting[person.id])) for person, unit_name in people]
    waiting = [entry for entry in waiting if entry[2]]
    if not waiting:
        return []
    figures = {row.unit_id: row.figures for row in unit_compliance(month).rows}
    return [
        HeadDue(_recipient(person), unit_name or "", notices, figures.get(person.unit_id, Figures()))
        for person, unit_name, notices in waiting
    ]


def head_due(person: Employee, unit_name: str | None, month: Month, today: date) -> HeadDue:
    """What heads_due answers for one person: their queue, and their unit's figures (the
    compliance table's row: compliance.figures.unit_figures)."""
    return HeadDue(_recipient(person), unit_name or "", notices_awaiting(person, today),
                   unit_figures(month, person.unit_id))


# --- the admin: the closed month's summary ---------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    name: str | None  # None: staff in no unit
    figures: Figures


@dataclass(frozen=True)
class MonthSummary:
    """A month's compliance table as plain data: the whole, then each unit with staff."""

    month: Month
    totals: Figures
    units: list[UnitLine]


@dataclass(frozen=True)
class AdminDue:
    recipients: list[Recipient]
    summary: MonthSummary


def admin_due(month: Month) -> AdminDue:
    """The admins, and the compliance table of `month` (the one that has just closed)."""
    admins = by_name(db.session.scalars(select(Employee).where(SUMMARY_RECIPIENT)).all(),
                     lambda admin: admin)
    recipients = [_recipient(admin) for admin in admins]
    summary = month_summary(month) if recipients else MonthSummary(month, Figures(), [])
    return AdminDue(recipients, summary)


def month_summary(month: Month) -> MonthSummary:
    """The compliance table of `month` as the admin's email gives it."""
    table = unit_compliance(month)
    units = [UnitLine(row.unit.name if row.unit else None, row.figures) for row in table.units_with_staff]
    return MonthSummary(month, table.totals, units)


# --- the home page ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalReminders:
    staff: StaffDue | None
    awaiting: list[AwaitingNotice]

    def __bool__(self) -> bool:
        return self.staff is not None or bool(self.awaiting)


def personal_reminders(
    employee: Employee, declaration: Declaration | None, status: str | None, due: bool, today: date
) -> PersonalReminders:
    """What the email would remind this person of, for their home page, from own_standing()'s
    row for them (read there with their notices: main/records.py)."""
    # The latest declaration's time is STAFF_DECLARED_AT: it is read with the declaration.
    declared_at = declaration.declared_at if declaration is not None else None
    staff = StaffDue(_recipient(employee), status, declared_at) if due else None
    return PersonalReminders(staff, notices_awaiting(employee, today))


def own_standing_parameters(employee: Employee, now: datetime, pending_days: int) -> dict[str, object]:
    return {"employee_id": employee.id, **_moments(now, pending_days)}


@cache
def own_standing() -> Select:
    """One person's latest declaration, their status, and staff_due's conditions for them as
    a column (true when staff_due would name them), from the Employee row of the person
    "employee_id" (own_standing_parameters)."""
    person = Employee.id == bindparam("employee_id")
    return (
        select(Declaration, Employee.vneid_status, and_(*staff_due_conditions()).label("due"))
        .select_from(Employee)
        .outerjoin(Declaration, is_latest_of(Employee.id))
        .where(person)
    )
