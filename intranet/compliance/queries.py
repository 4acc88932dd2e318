"""The figures behind the compliance pages, each one SQL query, whatever the number of units.

Every figure is the state at the END of a month (local time), rebuilt from the append-only
records: the staff on the roster then, each in the unit they were in then
(intranet/database/roster.py) with the latest declaration made by then, and the notices and
decisions recorded by then.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    ScalarSelect,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
    union_all,
)

from sqlalchemy.orm import aliased, joinedload, selectinload

from ..extensions import db
from ..models import (
    Appraisal,
    AppraisalOutcome,
    Declaration,
    Employee,
    Notice,
    RosterEntry,
    Unit,
    VneidStatus,
    appraisal_notice,
    utcnow,
)
from ..notices.state import appraisal_stands, notice_decided, notice_stands
from ..months import Month

# The columns a staff member can fall in; exactly one each (see _status_groups).
STATUS_GROUPS = ("level2", "pending", "level1", "no_account", "undeclared")
# `?status=` on a unit's page: one of the groups, or everyone not on level 2.
STAFF_FILTERS = (*STATUS_GROUPS, "missing")


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A unit's (or the whole sub-department's) figures for a month."""

    staff: int = 0
    level2: int = 0
    pending: int = 0
    level1: int = 0
    no_account: int = 0
    undeclared: int = 0
    notices: int = 0
    awaiting: int = 0
    decisions: int = 0

    def __getitem__(self, name: str) -> int:
        # figures["level2"]: templates look figures up by column name.
        return getattr(self, name)

    @property
    def missing(self) -> int:
        return self.staff - self.level2

    @property
    def percent(self) -> float | None:
        """Share of staff on level 2, 0-100; None when there is nobody to count."""
        return 100 * self.level2 / self.staff if self.staff else None

    @property
    def complete(self) -> bool:
        return self.staff > 0 and self.level2 == self.staff

    @property
    def below_target(self) -> bool:
        return self.staff > 0 and self.level2 < self.staff

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class UnitRow:
    # None: staff the directory puts in no unit.
    unit: Unit | None
    figures: Figures

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit is not None else None


@dataclass(frozen=True)
class ComplianceTable:
    month: Month
    rows: list[UnitRow]

    @property
    def totals(self) -> Figures:
        # The rows share no one, so the whole sub-department is their sum.
        return sum((row.figures for row in self.rows), Figures())

    @property
    def units_with_staff(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.staff]

    @property
    def units_below_target(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.below_target]

    @property
    def units_complete(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.complete]


@dataclass(frozen=True)
class StaffLine:
    employee: Employee
    # The declaration that stood at the month's end, if any.
    declaration: Declaration | None
    unit: Unit | None

    @property
    def status(self) -> str | None:
        return self.declaration.status if self.declaration is not None else None

    @property
    def compliant(self) -> bool:
        return self.status == VneidStatus.LEVEL2_ACTIVE


@dataclass(frozen=True)
class NoticeLine:
    """A standing notice, shaped for the notices pages' table; decided or not at the month's end."""

    notice: Notice
    in_month: bool
    awaiting: bool
    stands = True

    @property
    def decided(self) -> bool:
        return not self.awaiting


@dataclass(frozen=True)
class DecisionLine:
    appraisal: Appraisal
    employee_name: str
    outcome: str
    notices: int


@dataclass(frozen=True)
class MonthPoint:
    month: Month
    staff: int
    level2: int

    @property
    def percent(self) -> float | None:
        return 100 * self.level2 / self.staff if self.staff else None


@dataclass(frozen=True)
class History:
    months: list[Month]
    # Per unit id (None: no unit), one point per month, oldest first.
    by_unit: dict[int | None, list[MonthPoint]]

    def of(self, unit_id: int | None) -> list[MonthPoint]:
        return self.by_unit.get(unit_id) or [MonthPoint(m, 0, 0) for m in self.months]

    @property
    def total(self) -> list[MonthPoint]:
        points = []
        for index, month in enumerate(self.months):
            staff = sum(series[index].staff for series in self.by_unit.values())
            level2 = sum(series[index].level2 for series in self.by_unit.values())
            points.append(MonthPoint(month, staff, level2))
        return points


# --- sorting ---------------------------------------------------------------------------

# Column -> whether its first click sorts descending (the most people or notices first).
SORTABLE = {
    "name": False,
    "staff": True,
    "level2": True,
    "percent": False,
    "pending": True,
    "level1": True,
    "no_account": True,
    "undeclared": True,
    "notices": True,
    "awaiting": True,
    "decisions": True,
}


@dataclass(frozen=True)
class Sort:
    column: str = "name"
    descending: bool = False

    @classmethod
    def parse(cls, text: str | None) -> Sort:
        """'percent' sorts ascending, '-percent' descending; anything unknown sorts by name."""
        text = (text or "").strip()
        descending = text.startswith("-")
        name = text.removeprefix("-")
        return cls(name, descending) if name in SORTABLE else cls()

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.column

    def toggled(self, column: str) -> Sort:
        """What a click on `column`'s header asks for."""
        if column == self.column:
            return Sort(column, not self.descending)
        return Sort(column, SORTABLE[column])


# --- building blocks -------------------------------------------------------------------


# The month a statement asks about, as named parameters: each statement is built and
# compiled once, then run for any month with _in(month).
MONTH_START = bindparam("month_start", type_=DateTime)  # its first instant, in stored UTC
MONTH_END = bindparam("month_end", type_=DateTime)  # its last instant
FIRST_DAY = bindparam("first_day", type_=Date)
LAST_DAY = bindparam("last_day", type_=Date)


def _in(month: Month) -> dict[str, object]:
    """The parameters of a statement built on MONTH_START, MONTH_END, FIRST_DAY and LAST_DAY."""
    return {
        "month_start": month.starts_utc(), "month_end": month.ends_utc(),
        "first_day": month.first_day, "last_day": month.last_day,
    }


def _is_running(month: Month) -> bool:
    """Whether the month has not ended yet: nothing recorded can be dated after its end."""
    return month.ends_utc() >= utcnow()


# The two timelines, each a record per change: (model, its time column).
DECLARATIONS = (Declaration, "declared_at")
ROSTER = (RosterEntry, "at")


def _latest(timeline, employee_id: ColumnElement[int], column: str, made) -> ScalarSelect:
    """`column` of the employee's latest record on `timeline` for which made(record) holds:
    the latest time, ties going to the highest id. One seek per person in the timeline's
    index (ix_declaration_standing_status, ix_roster_entry_standing), which holds every
    column asked for: no table row is read."""
    model, time = timeline
    earlier = aliased(model)
    moment = getattr(earlier, time)
    return (
        select(getattr(earlier, column))
        .where(earlier.employee_id == employee_id, made(earlier, moment))
        .order_by(moment.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _standing(employee_id: ColumnElement[int], moment: ColumnElement, *, column: str = "status",
              inclusive: bool = True) -> ScalarSelect:
    """A column of the employee's declaration standing at `moment` (made by then, or strictly
    before it)."""
    if inclusive:
        return _latest(DECLARATIONS, employee_id, column, lambda _d, made: made <= moment)
    return _latest(DECLARATIONS, employee_id, column, lambda _d, made: made < moment)


def _roster_entry(employee_id: ColumnElement[int], moment: ColumnElement) -> ScalarSelect:
    """The id of the employee's roster entry standing at `moment` (intranet/database/roster.py)."""
    return _latest(ROSTER, employee_id, "id", lambda _r, at: at <= moment)


def _before(timeline, record) -> Callable:
    """made() for the records of the same person before `record` (an aliased model)."""
    _model, time = timeline
    return lambda earlier, moment: tuple_(moment, earlier.id) < tuple_(getattr(record, time), record.id)


def _on_staff(moment: ColumnElement[datetime]) -> ColumnElement[bool]:
    """On the staff at `moment`, from the employee row: true of the roster's latest entry, so
    only for a moment no later than the month now running."""
    return and_(
        Employee.created_at <= moment,
        or_(Employee.left_at.is_(None), Employee.left_at > moment),
    )


def _staff_at(end: ColumnElement[datetime]):
    """(employee_id, unit_id, status): who was on the staff at `end`, in the unit they were in
    then (the roster), with the status of the declaration standing then (None if they had
    not declared yet)."""
    entry = aliased(RosterEntry)
    return (
        select(
            Employee.id.label("employee_id"),
            entry.unit_id,
            _standing(Employee.id, end).label("status"),
        )
        .join(entry, entry.id == _roster_entry(Employee.id, end))
        .where(entry.on_staff)
        .subquery("staff")
    )


def _people_by_status(end: ColumnElement[datetime], *, running: bool):
    """(unit_id, status, people): how many of each unit's staff stood at each status at `end`.

    While the month runs (`running`), nothing can be dated after its end, so each person's
    standing declaration is their latest and their roster entry too: the status and the unit
    are on their row (intranet/database/latest_status.py), counted from one index. Otherwise the history answers, one
    seek per person (the tests check that both agree on the current month). Counting by
    status first finds each person's status once: counted straight from _staff_at, the
    status subquery would be run again for every column that tests it.
    """
    if running:
        status = Employee.vneid_status
        on_staff = _on_staff(end)
        return (
            select(Employee.unit_id, status.label("status"), func.count().label("people"))
            .where(on_staff)
            .group_by(Employee.unit_id, status)
            .subquery("by_status")
        )
    staff = _staff_at(end)
    return (
        select(staff.c.unit_id, staff.c.status, func.count().label("people"))
        .group_by(staff.c.unit_id, staff.c.status)
        .subquery("by_status")
    )


def _status_groups(status: ColumnElement[str | None]) -> dict[str, ColumnElement[bool]]:
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


def _notices_known() -> ColumnElement[bool]:
    """Notices dated by the month's end, recorded by then and not yet corrected then.

    Counting only what was recorded by the end keeps a corrected notice and its
    correction from both counting in a month that ended before the correction.
    """
    return and_(notice_stands(MONTH_END), Notice.recorded_at <= MONTH_END, Notice.notice_date <= LAST_DAY)


def _notice_in_month() -> ColumnElement[bool]:
    return Notice.notice_date >= FIRST_DAY


def _notice_awaiting() -> ColumnElement[bool]:
    return ~notice_decided(MONTH_END)


def _decisions_in() -> ColumnElement[bool]:
    """Standing decisions (as of the month's end) recorded during the month."""
    recorded = Appraisal.recorded_at
    return and_(appraisal_stands(MONTH_END), recorded >= MONTH_START, recorded <= MONTH_END)


def _same_unit(column_: ColumnElement[int | None], unit_id: int | None) -> ColumnElement[bool]:
    return column_.is_(None) if unit_id is None else column_ == unit_id


# --- per unit --------------------------------------------------------------------------


@cache
def _unit_figures(running: bool) -> tuple[Select, dict[str, ColumnElement]]:
    """One row per unit, with the figure columns by name (for sorting and filtering).
    Built once for a running month and once for one that has ended (see _people_by_status)."""
    staff = _people_by_status(MONTH_END, running=running)
    groups = _status_groups(staff.c.status)
    staff_counts = (
        select(
            staff.c.unit_id,
            func.sum(staff.c.people).label("staff"),
            *(func.sum(staff.c.people).filter(groups[name]).label(name) for name in STATUS_GROUPS),
        )
        .group_by(staff.c.unit_id)
        .cte("staff_counts")
    )
    in_month, awaiting = _notice_in_month(), _notice_awaiting()
    notice_counts = (
        select(
            Notice.unit_id,
            func.count().filter(in_month).label("notices"),
            func.count().filter(awaiting).label("awaiting"),
        )
        .where(_notices_known(), or_(in_month, awaiting))
        .group_by(Notice.unit_id)
        .cte("notice_counts")
    )
    decision_counts = (
        select(Appraisal.unit_id, func.count().label("decisions"))
        .where(_decisions_in())
        .group_by(Appraisal.unit_id)
        .cte("decision_counts")
    )
    # The active units, and any other unit (or no unit) with something counted.
    keys = union(
        select(Unit.id.label("unit_id")).where(Unit.active.is_(True)),
        select(staff_counts.c.unit_id),
        select(notice_counts.c.unit_id),
        select(decision_counts.c.unit_id),
    ).subquery("unit_keys")
    figures = {
        name: func.coalesce(source.c[name], 0).label(name)
        for source, names in (
            (staff_counts, ("staff", *STATUS_GROUPS)),
            (notice_counts, ("notices", "awaiting")),
            (decision_counts, ("decisions",)),
        )
        for name in names
    }
    query = (
        select(keys.c.unit_id, Unit, *figures.values())
        .select_from(keys)
        .outerjoin(Unit, Unit.id == keys.c.unit_id)
        # Staff with no unit meet the "no unit" key: NULL is not distinct from NULL.
        .outerjoin(staff_counts, staff_counts.c.unit_id.is_not_distinct_from(keys.c.unit_id))
        .outerjoin(notice_counts, notice_counts.c.unit_id == keys.c.unit_id)
        .outerjoin(decision_counts, decision_counts.c.unit_id == keys.c.unit_id)
    )
    order = dict(figures)
    order["name"] = Unit.sort_key
    order["percent"] = cast(figures["level2"], Float) / func.nullif(figures["staff"], 0)
    return query, order


def _rows(query: Select, month: Month) -> list[UnitRow]:
    # int(): PostgreSQL sums counts as NUMERIC.
    return [
        UnitRow(unit, Figures(*map(int, numbers)))
        for _key, unit, *numbers in db.session.execute(query, _in(month))
    ]


@cache
def _sorted_unit_figures(running: bool, sort: Sort) -> Select:
    query, order = _unit_figures(running)
    key = order[sort.column]
    key = key.desc() if sort.descending else key.asc()
    # Units with nobody to count, and the no-unit row, go last; then the Vietnamese name order.
    return query.order_by(key.nulls_last(), Unit.sort_key.asc().nulls_last())


def unit_compliance(month: Month, sort: Sort = Sort()) -> ComplianceTable:
    """Every unit's figures for `month`, sorted on the server."""
    return ComplianceTable(month, _rows(_sorted_unit_figures(_is_running(month), sort), month))


def unit_figures(month: Month, unit_id: int | None) -> Figures:
    """One unit's figures for `month` (unit_id None: the staff in no unit)."""
    query, _order = _unit_figures(_is_running(month))
    rows = _rows(query.where(_same_unit(query.selected_columns.unit_id, unit_id)), month)
    return rows[0].figures if rows else Figures()


# --- the people behind the numbers -----------------------------------------------------


def _staff_lines(group: str | None) -> tuple[Select, Subquery]:
    """Employee, standing declaration and unit of everyone on the staff at the month's end,
    and the subquery that places them (for its unit_id); `group` keeps one column."""
    staff = _staff_at(MONTH_END)
    standing = _standing(Employee.id, MONTH_END, column="id")
    query = (
        select(Employee, Declaration, Unit)
        .join(staff, staff.c.employee_id == Employee.id)
        .outerjoin(Declaration, Declaration.id == standing)
        .outerjoin(Unit, Unit.id == staff.c.unit_id)
    )
    if group is not None:
        query = query.where(_status_groups(staff.c.status)[group])
    return query, staff


def unit_staff(month: Month, unit_id: int | None, group: str | None = None) -> list[StaffLine]:
    """A unit's staff at the end of `month` (those in it then), each with the declaration
    standing then; `group` keeps one column of the table (see STAFF_FILTERS)."""
    query, staff = _staff_lines(group)
    query = query.where(_same_unit(staff.c.unit_id, unit_id))
    rows = db.session.execute(query.order_by(Employee.sort_key, Employee.id), _in(month))
    return [StaffLine(*row) for row in rows]


def non_compliant_staff(month: Month) -> list[StaffLine]:
    """Everyone not on level 2 at the end of `month`, unit by unit."""
    query, _staff = _staff_lines("missing")
    query = query.order_by(Unit.sort_key.asc().nulls_last(), Employee.sort_key, Employee.id)
    return [StaffLine(*row) for row in db.session.execute(query, _in(month))]


def unit_notices(month: Month, unit_id: int) -> list[NoticeLine]:
    """The unit's notices dated in `month` or still awaiting a decision at its end."""
    in_month, awaiting = _notice_in_month(), _notice_awaiting()
    query = (
        select(Notice, in_month, awaiting)
        .options(
            joinedload(Notice.employee), joinedload(Notice.issuing_body), selectinload(Notice.cases)
        )
        .where(Notice.unit_id == unit_id, _notices_known(), or_(in_month, awaiting))
        .order_by(Notice.notice_date, Notice.id)
    )
    return [
        NoticeLine(notice, bool(dated), bool(waiting))
        for notice, dated, waiting in db.session.execute(query, _in(month))
    ]


def unit_decisions(month: Month, unit_id: int) -> list[DecisionLine]:
    """The unit's standing decisions recorded during `month`."""
    notices = select(func.count()).where(appraisal_notice.c.appraisal_id == Appraisal.id)
    query = (
        select(Appraisal, Employee.full_name, AppraisalOutcome.label, notices.scalar_subquery())
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(AppraisalOutcome, AppraisalOutcome.id == Appraisal.outcome_id)
        .where(Appraisal.unit_id == unit_id, _decisions_in())
        .order_by(Appraisal.recorded_at, Appraisal.id)
    )
    return [DecisionLine(*row) for row in db.session.execute(query, _in(month))]


# --- month by month --------------------------------------------------------------------


def _changes(months: Sequence[Month]) -> Select:
    """(position, unit_id, staff, level2): how each unit's counts changed between the end of
    the month before `position` and the end of its month, for every month but the first.

    A count changes only when someone joins, moves, leaves or declares, so the history costs
    a look at what happened in the months shown rather than the whole staff once per month.
    """
    ends = [month.ends_utc() for month in months]

    def is_level2(status: ColumnElement) -> ColumnElement[int]:
        return case((status == VneidStatus.LEVEL2_ACTIVE, 1), else_=0)

    def shown(moment: ColumnElement) -> ColumnElement[bool]:
        return and_(moment > ends[0], moment <= ends[-1])

    def month_of(moment: ColumnElement) -> ColumnElement[int]:
        # The first month whose end is not before `moment` (of those shown, after the first).
        return case(*((moment <= end, position) for position, end in enumerate(ends) if position))

    # Each declaration in the months shown (one range of ix_declaration_moment) against the
    # one it replaced: the person's declaration just before it, one seek each.
    replaced = _latest(
        DECLARATIONS, Declaration.employee_id, "status", _before(DECLARATIONS, Declaration)
    )
    # A declaration moves the count of the unit the person was in then (if on the staff) by
    # its status against the one before. At one instant, a roster change comes first.
    placed = aliased(RosterEntry)
    declared = (
        select(
            month_of(Declaration.declared_at).label("position"),
            placed.unit_id,
            literal(0).label("staff"),
            (is_level2(Declaration.status) - is_level2(replaced)).label("level2"),
        )
        .join(placed, placed.id == _roster_entry(Declaration.employee_id, Declaration.declared_at))
        .where(shown(Declaration.declared_at), placed.on_staff)
    )
    # A roster change (joining, moving, leaving, coming back; few in a year) takes the person,
    # with the status declared before it, out of the unit they were in and into the new one.
    entry, before = aliased(RosterEntry), aliased(RosterEntry)
    previous = _latest(ROSTER, entry.employee_id, "id", _before(ROSTER, entry))
    carried = is_level2(_standing(entry.employee_id, entry.at, inclusive=False))
    joined = select(month_of(entry.at), entry.unit_id, literal(1), carried).where(
        shown(entry.at), entry.on_staff
    )
    left = (
        select(month_of(entry.at), before.unit_id, literal(-1), -carried)
        .join(before, before.id == previous)
        .where(shown(entry.at), before.on_staff)
    )
    events = union_all(declared, joined, left).subquery("events")
    return select(
        events.c.position, events.c.unit_id, func.sum(events.c.staff), func.sum(events.c.level2)
    ).group_by(events.c.position, events.c.unit_id)


def compliance_history(months: Sequence[Month]) -> History:
    """Staff and level-2 counts per unit at the end of each of `months`, in one query: the
    counts at the first month's end, then each later month's changes, added up in order."""
    staff = _people_by_status(literal(months[0].ends_utc(), DateTime), running=_is_running(months[0]))
    on_level2 = func.sum(staff.c.people).filter(_status_groups(staff.c.status)["level2"])
    first = select(
        literal(0), staff.c.unit_id, func.sum(staff.c.people), on_level2
    ).group_by(staff.c.unit_id)
    query = union_all(first, _changes(months)) if len(months) > 1 else first
    changes: dict[int | None, list[tuple[int, int]]] = {}
    for position, unit_id, count, on_level2 in db.session.execute(query):
        series = changes.setdefault(unit_id, [(0, 0)] * len(months))
        series[position] = (int(count), int(on_level2 or 0))
    by_unit: dict[int | None, list[MonthPoint]] = {}
    for unit_id, steps in changes.items():
        count = on_level2 = 0
        points = []
        for month, (staff_change, level2_change) in zip(months, steps):
            count, on_level2 = count + staff_change, on_level2 + level2_change
            points.append(MonthPoint(month, count, on_level2))
        by_unit[unit_id] = points
    return History(list(months), by_unit)


def units_in(history: History) -> list[Unit]:
    """The active units and any other unit with a line in `history`, in name order."""
    ids = [unit_id for unit_id in history.by_unit if unit_id is not None]
    query = select(Unit).where(or_(Unit.active.is_(True), Unit.id.in_(ids))).order_by(Unit.sort_key)
    return list(db.session.scalars(query))
