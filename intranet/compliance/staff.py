"""Who was on the staff of each unit at a moment, with the status that stood then, and the
people behind a unit's numbers for a month.

Each person is placed by their roster entry standing at the moment (intranet/database/
roster.py) and counted by their declaration standing then (intranet/timelines.py).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from types import EllipsisType
from typing import Any

from sqlalchemy import (
    ColumnElement, Select, Subquery, and_, func, or_, select, text,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from ..database.planning import planned_each_run
from ..extensions import db
from ..models import Declaration, Employee, RosterEntry, Unit, VneidStatus
from ..months import Month
from ..timelines import standing_declaration, standing_roster_entry
from .params import MONTH_END, UNIT, is_running, month_params
from .results import MissingLine, StaffLine


def in_unit(
    column_: ColumnElement[int | None], unit_id: ColumnElement[int] | int | None
) -> ColumnElement[bool]:
    """`column_` names the unit `unit_id` (None: no unit)."""
    return column_.is_(None) if unit_id is None else column_ == unit_id


def on_staff_at(moment: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
    """On the staff at `moment`, from the employee row: true of the roster's latest entry, so
    only for a moment no later than the month now running."""
    return and_(
        Employee.created_at <= moment,
        or_(Employee.left_at.is_(None), Employee.left_at > moment),
    )


def standing_entry(entry: Any, employee_id: ColumnElement[int],
                   moment: ColumnElement[datetime]) -> ColumnElement[bool]:
    """Join condition: `entry` (an aliased RosterEntry) is the employee's entry standing at
    `moment`. Joined on `entry.id = (the seek)`, PostgreSQL hashed the seek's result and ran
    it twice per row; IS NOT DISTINCT FROM (never a hash key) and the person's id make it
    hash the person and run the seek once per entry of theirs."""
    return and_(
        entry.employee_id == employee_id,
        entry.id.is_not_distinct_from(standing_roster_entry(employee_id, moment)),
    )


def one_pass() -> bool:
    """Whether the database finds everyone's standing records in one ordered pass over each
    timeline (PostgreSQL's DISTINCT ON, its window functions) rather than a seek per person
    (SQLite, whose seeks are cheaper than its sorting and windows). A statement built either
    way is cached under this answer too: the bench runs both databases in one process."""
    return db.engine.dialect.name == "postgresql"


def _standing_all(
    timeline_model: Any, time: Any, columns: list[Any], end: ColumnElement
) -> Subquery:
    """Each person's latest record made by `end` (intranet/timelines.py's order: latest time,
    then highest id), all people in one pass: PostgreSQL's DISTINCT ON. People in descending
    order: the timeline's index (person, time, id) read backwards is in that order, where
    ascending people with the latest first had the records sorted (50,000 declarations:
    a past month's people not on level 2 took 95 ms, 64 this way)."""
    return (
        select(timeline_model.employee_id, *columns)
        .where(time <= end)
        .ext(distinct_on(timeline_model.employee_id))
        .order_by(timeline_model.employee_id.desc(), time.desc(), timeline_model.id.desc())
        .subquery()
    )


def staff_at(
    end: ColumnElement[datetime],
    among: Callable[[Any], ColumnElement[bool]] | None = None,
    *,
    in_one_pass: bool = False,
):
    """(employee_id, unit_id, status): who was on the staff at `end`, in the unit they were in
    then (the roster), with the status of the declaration standing then (None if they had
    not declared yet); `among` narrows the employees looked at. `in_one_pass` (PostgreSQL,
    see one_pass): the same from one ordered pass over each timeline, not two seeks a person
    (a past month's whole staff: 40 against 30 ms)."""
    if in_one_pass:
        entry = _standing_all(RosterEntry, RosterEntry.at,
                              [RosterEntry.unit_id, RosterEntry.on_staff], end)
        declared = _standing_all(Declaration, Declaration.declared_at, [Declaration.status], end)
        query = (
            select(entry.c.employee_id, entry.c.unit_id, declared.c.status)
            .select_from(entry)
            .outerjoin(declared, declared.c.employee_id == entry.c.employee_id)
            .where(entry.c.on_staff)
        )
        if among is not None:
            query = query.where(among(entry.c.employee_id))
        return query.subquery("staff")
    entry = aliased(RosterEntry)
    query = (
        select(
            Employee.id.label("employee_id"),
            entry.unit_id,
            standing_declaration(Employee.id, end).label("status"),
        )
        .join(entry, standing_entry(entry, Employee.id, end))
        .where(entry.on_staff)
    )
    if among is not None:
        query = query.where(among(Employee.id))
    return query.subquery("staff")


def people_by_status(end: ColumnElement[datetime], *, running: bool,
                     unit_id: ColumnElement[int] | int | None | EllipsisType = ...,
                     in_one_pass: bool = False):
    """(unit_id, status, people): how many of each unit's staff stood at each status at `end`
    (of one unit's only, given `unit_id`: None is the staff in no unit).

    While the month runs (`running`), nothing can be dated after its end, so each person's
    standing declaration is their latest and their roster entry too: the status and the unit
    are on their row (intranet/database/latest_status.py), counted from one index. Otherwise the history answers, one
    seek per person (the tests check that both agree on the current month). Counting by
    status first finds each person's status once: counted straight from _staff_at, the
    status subquery would be run again for every column that tests it.
    """
    if running:
        status = Employee.vneid_status
        query = (
            select(Employee.unit_id, status.label("status"), func.count().label("people"))
            .where(on_staff_at(end))
            .group_by(Employee.unit_id, status)
        )
        if unit_id is not ...:
            query = query.where(in_unit(Employee.unit_id, unit_id))
        return query.subquery("by_status")
    among = None if unit_id is ... else ever_in(unit_id)
    staff = staff_at(end, among, in_one_pass=in_one_pass)
    query = select(staff.c.unit_id, staff.c.status, func.count().label("people"))
    if unit_id is not ...:
        query = query.where(in_unit(staff.c.unit_id, unit_id))
    return query.group_by(staff.c.unit_id, staff.c.status).subquery("by_status")


def ever_in(unit_id: ColumnElement[int] | int | None):
    """employee_id -> whether they have a roster entry in the unit: whoever stood in it at
    any moment has one, so a unit's people at a moment are sought among these only."""
    entries = select(RosterEntry.employee_id).where(in_unit(RosterEntry.unit_id, unit_id))
    return lambda employee_id: employee_id.in_(entries)


def status_groups(status: ColumnElement[str | None]) -> dict[str, ColumnElement[bool]]:
    """The condition for each column; together they put every staff member in exactly one."""
    known = (VneidStatus.LEVEL2_ACTIVE, VneidStatus.LEVEL2_PENDING, VneidStatus.LEVEL1)
    return {
        "level2": status == VneidStatus.LEVEL2_ACTIVE,
        "pending": status == VneidStatus.LEVEL2_PENDING,
        "level1": status == VneidStatus.LEVEL1,
        # "none", and any status this code does not know yet: not an account anyone can use.
        "no_account": and_(status.is_not(None), status.not_in(known)),
        "undeclared": status.is_(None),
        "missing": or_(status.is_(None), status != VneidStatus.LEVEL2_ACTIVE),
    }


# --- the people behind the numbers -----------------------------------------------------


def _on_staff_now(unit_id: ColumnElement[int] | int | None | EllipsisType) -> ColumnElement[bool]:
    """An employee row on the staff at the end of the month now running (in the unit
    `unit_id`, unless ...): while the month runs, the rows place the staff (see
    people_by_status)."""
    on_staff = on_staff_at(MONTH_END)
    return on_staff if unit_id is ... else and_(on_staff, in_unit(Employee.unit_id, unit_id))


def _placed(unit_id: ColumnElement[int] | int | None | EllipsisType) -> Subquery:
    """(employee_id, unit_id, status) of the staff at the end of an ended month, as staff_at;
    `unit_id` (unless ...) keeps the people of one unit, sought among those who ever stood
    in it (a unit's hundred: a seek each is less than the whole staff's timelines)."""
    if unit_id is ...:
        return staff_at(MONTH_END, in_one_pass=one_pass())
    staff = staff_at(MONTH_END, ever_in(unit_id))
    return select(staff).where(in_unit(staff.c.unit_id, unit_id)).subquery("staff_in_unit")


def _staff_lines(
    group: str | None, running: bool, unit_id: ColumnElement[int] | int | None | EllipsisType = ...
) -> Select:
    """Employee, standing declaration and unit of everyone on the staff at the month's end
    (of the unit `unit_id`, unless ...); `group` keeps one column."""
    lines = select(Employee, Declaration, Unit).select_from(Employee)
    if running:
        # The employee rows place their people themselves: joined to _placed's subquery of
        # the same rows, each row was read twice (PostgreSQL: 300 of a unit's 970 buffers).
        lines = lines.where(_on_staff_now(unit_id))
        unit_column, status = Employee.unit_id, Employee.vneid_status
    else:
        staff = _placed(unit_id)
        lines = lines.join(staff, staff.c.employee_id == Employee.id)
        unit_column, status = staff.c.unit_id, staff.c.status
    standing = standing_declaration(Employee.id, MONTH_END, column="id")
    query = (
        lines.outerjoin(Declaration, Declaration.id == standing)
        .outerjoin(Unit, Unit.id == unit_column)
    )
    if group is not None:
        query = query.where(status_groups(status)[group])
    return query


@cache
def _unit_staff(group: str | None, running: bool, no_unit: bool) -> Select:
    """unit_staff's statement, for the unit UNIT (`no_unit`: the staff in no unit)."""
    query = _staff_lines(group, running, None if no_unit else UNIT)
    return query.order_by(Employee.sort_key, Employee.id)


def unit_staff_statement(running: bool) -> Select:
    """unit_staff's statement for a unit (its parameters: month_params and "unit_id"), every
    column kept, to add columns to (units/staff.py)."""
    return _unit_staff(None, running, False)


def unit_staff(month: Month, unit_id: int | None, group: str | None = None) -> list[StaffLine]:
    """A unit's staff at the end of `month` (those in it then), each with the declaration
    standing then; `group` keeps one column of the table (see STAFF_FILTERS)."""
    query = _unit_staff(group, is_running(month), unit_id is None)
    rows = db.session.execute(query, {**month_params(month), "unit_id": unit_id})
    return [StaffLine(*row) for row in rows]


@cache
def _non_compliant(running: bool, in_one_pass: bool) -> Select:
    """non_compliant_staff's statement: each person's unit, status and the time of the
    declaration standing at the month's end, each found once a person, the employee read
    once. While the month runs, from the employee rows (see people_by_status), the time
    sought for those listed only; for an ended month, PostgreSQL (`in_one_pass`) reads both
    timelines in one pass each, SQLite seeks the roster entry and the declaration, then reads
    that declaration by its id."""
    if running:
        unit_id, status = Employee.unit_id, Employee.vneid_status
        declared_at = standing_declaration(Employee.id, MONTH_END, column="declared_at")
        people = select(Employee).where(_on_staff_now(...))
    elif in_one_pass:
        entry = _standing_all(RosterEntry, RosterEntry.at,
                              [RosterEntry.unit_id, RosterEntry.on_staff], MONTH_END)
        declared = _standing_all(Declaration, Declaration.declared_at,
                                 [Declaration.status, Declaration.declared_at], MONTH_END)
        unit_id, status, declared_at = entry.c.unit_id, declared.c.status, declared.c.declared_at
        people = (
            select(Employee)
            .join(entry, entry.c.employee_id == Employee.id)
            .outerjoin(declared, declared.c.employee_id == Employee.id)
            .where(entry.c.on_staff)
        )
    else:
        entry, declaration = aliased(RosterEntry), aliased(Declaration)
        unit_id, status, declared_at = entry.unit_id, declaration.status, declaration.declared_at
        people = (
            select(Employee)
            .join(entry, standing_entry(entry, Employee.id, MONTH_END))
            .outerjoin(declaration, declaration.id == standing_declaration(
                Employee.id, MONTH_END, column="id"))
            .where(entry.on_staff)
        )
    return planned_each_run(
        people.with_only_columns(Employee.id, unit_id, Unit.name, Employee.full_name,
                                 Employee.title, status, declared_at, maintain_column_froms=True)
        .outerjoin(Unit, Unit.id == unit_id)
        .where(status_groups(status)["missing"])
        .order_by(Unit.sort_key.asc().nulls_last(), Employee.sort_key, Employee.id)
    )


def non_compliant_staff(month: Month) -> list[MissingLine]:
    """Everyone not on level 2 at the end of `month`, unit by unit, as plain columns: loaded
    as three entities a person, the ~11,000 of a province cost ~1 M Python calls. The status
    is the one that places them (that of the declaration standing then), with that
    declaration's time."""
    query = _non_compliant(is_running(month), one_pass())
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # Sorting ~11,000 wide rows (and, for an ended month, everyone's declarations by
        # person) takes ~5 MB: with the default 4 MB of work_mem both sorts went to disk, a
        # third of the statement's time. LOCAL: for this request's transaction only.
        connection.execute(text("SET LOCAL work_mem = '16MB'"))
    rows = connection.execute(query, month_params(month))
    return [MissingLine._make(row) for row in rows]
