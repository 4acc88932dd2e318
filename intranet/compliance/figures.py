"""Each unit's figures for a month (the compliance table), in one SQL statement.

Every figure is the state at the END of a month (local time), rebuilt from the append-only
records: the staff on the roster then, each in the unit they were in then, with the latest
declaration made by then, and the notices and decisions recorded by then.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import TypeVar

from sqlalchemy import (
    ColumnElement, Float, Integer, Select, cast, func, or_, select, union,
)

from ..database.planning import planned_each_run
from ..extensions import db
from ..models import Appraisal, Notice, Unit
from ..months import Month
from .memo import kept_while_ended, remembered
from .params import DUE_BEFORE, MONTH_END, UNIT, is_running, month_params
from .records import decisions_in, notice_awaiting, notice_in_month, notices_known
from .results import STATUS_GROUPS, ComplianceTable, Figures, UnitLine, UnitRow
from .sorting import Sort
from .staff import in_unit, one_pass, people_by_status, status_groups


T = TypeVar("T")
# Unit ids count from 1 (autoincrement on both databases): 0 is no unit's.
NO_UNIT_KEY = 0


@cache
def _unit_figures(
    running: bool, only: str = "all", in_one_pass: bool = False
) -> tuple[Select, dict[str, ColumnElement]]:
    """One row per unit, with the figure columns by name (for sorting and filtering).
    Built once for a running month and once for one that has ended (see people_by_status);
    `only` "unit" keeps the unit UNIT, "none" the staff in no unit."""
    unit = {"all": ..., "unit": UNIT, "none": None}[only]

    def narrowed(query: Select, column: ColumnElement) -> Select:
        return query if unit is ... else query.where(in_unit(column, unit))

    # One pass over the timelines for the whole staff (PostgreSQL); a unit's people by seeks.
    staff = people_by_status(MONTH_END, running=running, unit_id=unit,
                             in_one_pass=in_one_pass and unit is ...)
    groups = status_groups(staff.c.status)
    # The staff in no unit are counted under the key NO_UNIT_KEY, which no unit has, so that
    # every key is joined by equality: joined with IS NOT DISTINCT FROM (NULL meeting NULL),
    # PostgreSQL could not hash and compared each of 200 keys with each of 200 rows. (The
    # CAST gives the key an integer type: without one, SQLite built no index to join it.)
    unit_key = cast(func.coalesce(staff.c.unit_id, NO_UNIT_KEY), Integer)
    staff_counts = (
        select(
            unit_key.label("unit_id"),
            func.sum(staff.c.people).label("staff"),
            *(func.sum(staff.c.people).filter(groups[name]).label(name) for name in STATUS_GROUPS),
        )
        .group_by(unit_key)
        .cte("staff_counts")
    )
    # Each notice's tests worked out once, then counted: written into the counts, the test
    # of a standing proposal ran up to three times a notice (the WHERE clause and two
    # columns). MATERIALIZED keeps either database from writing it back into each use:
    # for 5,000 notices 8 -> 4 ms on PostgreSQL, a quarter less on SQLite.
    flags = select(
        Notice.unit_id,
        notice_in_month().label("in_month"),
        notice_awaiting().label("awaiting"),
        Notice.reply_due_on,
    ).where(notices_known())
    flags = narrowed(flags, Notice.unit_id).cte("notice_flags").prefix_with("MATERIALIZED")
    in_month, awaiting = flags.c.in_month, flags.c.awaiting
    notice_counts = (
        select(
            flags.c.unit_id,
            func.count().filter(in_month).label("notices"),
            func.count().filter(awaiting).label("awaiting"),
            func.count().filter(awaiting, flags.c.reply_due_on < DUE_BEFORE).label("overdue"),
        )
        .where(or_(in_month, awaiting))
        .group_by(flags.c.unit_id)
        .cte("notice_counts")
    )
    decision_counts = (
        select(Appraisal.unit_id, func.count().label("decisions"))
        .where(decisions_in())
        .group_by(Appraisal.unit_id)
    )
    decision_counts = narrowed(decision_counts, Appraisal.unit_id).cte("decision_counts")
    # The active units, and any other unit (or no unit) with something counted.
    keys = union(
        narrowed(select(Unit.id.label("unit_id")).where(Unit.active.is_(True)), Unit.id),
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
            (notice_counts, ("overdue",)),
        )
        for name in names
    }
    query = (
        select(keys.c.unit_id, Unit, *figures.values())
        .select_from(keys)
        .outerjoin(Unit, Unit.id == keys.c.unit_id)  # none for NO_UNIT_KEY: the no-unit row
        .outerjoin(staff_counts, staff_counts.c.unit_id == keys.c.unit_id)
        .outerjoin(notice_counts, notice_counts.c.unit_id == keys.c.unit_id)
        .outerjoin(decision_counts, decision_counts.c.unit_id == keys.c.unit_id)
    )
    if unit is ...:
        # Every unit's: see database/planning.py. One unit's keep the plan PostgreSQL made once
        # (planning it for each run cost more than running it: 2.2 against 0.6 ms).
        query = planned_each_run(query)
    order = dict(figures)
    order["name"] = Unit.sort_key
    order["percent"] = cast(figures["level2"], Float) / func.nullif(figures["staff"], 0)
    return query, order


def _rows(query: Select, month: Month, params: dict[str, object] | None = None) -> list[UnitRow]:
    # int(): PostgreSQL sums counts as NUMERIC.
    return [
        UnitRow(unit, Figures(*map(int, numbers)))
        for _key, unit, *numbers in db.session.execute(
            query, {**month_params(month), **(params or {})}
        )
    ]


def _key(month: Month) -> tuple[object, ...]:
    """What a month's figures depend on besides the records: whether it still runs, and the
    day a notice counts as overdue from (today, while it runs)."""
    return month.iso, is_running(month), month_params(month)["due_before"]


@cache
def _sorted_unit_figures(running: bool, sort: Sort, in_one_pass: bool) -> Select:
    query, order = _unit_figures(running, "all", in_one_pass)
    key = order[sort.column]
    key = key.desc() if sort.descending else key.asc()
    # Units with nobody to count, and the no-unit row, go last; then the Vietnamese name order.
    return query.order_by(key.nulls_last(), Unit.sort_key.asc().nulls_last())


def unit_compliance(month: Month, sort: Sort = Sort()) -> ComplianceTable:
    """Every unit's figures for `month`, sorted on the server. The figures are kept per
    figures version (memo.py) as plain numbers; the units are the request's own."""
    query = _sorted_unit_figures(is_running(month), sort, one_pass())
    fresh: list[UnitRow] = []

    def compute() -> list[tuple[int | None, Figures]]:
        fresh.extend(_rows(query, month))
        return [(row.unit_id, row.figures) for row in fresh]

    counted = month_figures(("table", sort), month, compute)
    if fresh:
        return ComplianceTable(month, fresh)
    units = {unit.id: unit for unit in every_unit()}
    return ComplianceTable(month, [
        UnitRow(units[unit_id] if unit_id is not None else None, figures)
        for unit_id, figures in counted
    ])


_UNITS = select(Unit.id, Unit.name, Unit.active).order_by(Unit.sort_key)


def every_unit() -> list[UnitLine]:
    """Every unit, in name order: a few hundred at most, read by one statement built once
    (a list of the ids wanted bound ~200 parameters that PostgreSQL planned anew each time:
    1.3 against 0.25 ms for all 200 units). Kept per figures version like the figures: a
    unit's every write moves the number (database/figures_version.py), so a renamed, added
    or closed unit shows at once; at the same number the table and the trend send no
    statement for them (the table's units as ORM objects cost 0.8-1.0 ms a view, make bench's
    data)."""
    return remembered(("units",), lambda: [UnitLine(*row) for row in db.session.execute(_UNITS)])


def unit_figures(month: Month, unit_id: int | None) -> Figures:
    """One unit's figures for `month` (unit_id None: the staff in no unit)."""
    def compute() -> Figures:
        query, _order = _unit_figures(is_running(month), "none" if unit_id is None else "unit")
        rows = _rows(query, month, {"unit_id": unit_id})
        return rows[0].figures if rows else Figures()

    return month_figures(("unit", unit_id), month, compute)


def month_figures(key: tuple[Hashable, ...], month: Month, compute: Callable[[], T]) -> T:
    """compute()'s figures of `month` (plain data, counted from the records a compliance
    figure counts), kept under `key` per figures version (memo.py), and for a month that has
    ended, across writes dated after it (memo.kept_while_ended)."""
    return remembered((*key, *_key(month)), compute, kept_while_ended(month, compute))
