"""Month by month: each unit's staff and level-2 counts at the end of a run of months."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

from sqlalchemy import (
    BindParameter, ColumnElement, CompoundSelect, DateTime, Select, and_, bindparam, case, func,
    literal, select, union_all,
)
from sqlalchemy.orm import aliased

from ..database import figures_dated
from ..database.level2_changes import LEVEL2_CHANGE, on_level2
from ..database.planning import planned_each_run
from ..extensions import db
from ..models import RosterEntry
from ..months import Month
from ..timelines import ROSTER, before, latest_record, standing_declaration
from .memo import kept_while_ended, remembered
from .params import is_running
from .figures import every_unit
from .results import History, MonthPoint, UnitLine
from .staff import one_pass, people_by_status, standing_entry, status_groups


def _end(position: int) -> BindParameter:
    """The end of the months[position], as a parameter (see _statement)."""
    return bindparam(f"end_{position}", type_=DateTime)


def _changes(length: int, declarations: bool = True) -> Select:
    """(position, unit_id, staff, level2): how each unit's counts changed between the end of
    the month before `position` and the end of its month, for every month but the first of
    `length` months whose ends are the parameters _end(0) ... _end(length - 1).
    Not `declarations`: the roster's changes alone (joining, moving, leaving), which say
    which units a month moved but not all of its level-2 counts' changes (see _refreshed).

    A count changes only when someone joins, moves, leaves or declares onto level 2 or off
    it, so the history costs a look at what happened in the months shown rather than the
    whole staff once per month.
    """
    ends = [_end(position) for position in range(length)]

    def shown(moment: ColumnElement) -> ColumnElement[bool]:
        return and_(moment > ends[0], moment <= ends[-1])

    def month_of(moment: ColumnElement) -> ColumnElement[int]:
        # The first month whose end is not before `moment` (of those shown, after the first).
        return case(*((moment <= end, position) for position, end in enumerate(ends) if position))

    # Each declaration in the months shown that put its person on level 2 or took them off
    # it (one range of the moves the database keeps, database/level2_changes.py: about one
    # declaration in six), in the unit the person was in then (a seek each).
    # At one instant, a roster change comes first.
    move, placed = LEVEL2_CHANGE.c, aliased(RosterEntry)
    declared = (
        select(
            month_of(move.declared_at).label("position"),
            placed.unit_id,
            literal(0).label("staff"),
            move.level2.label("level2"),
        )
        .join(placed, standing_entry(placed, move.employee_id, move.declared_at))
        .where(shown(move.declared_at), placed.on_staff)
    )
    # A roster change (joining, moving, leaving, coming back; few in a year) takes the person,
    # with the status declared before it, out of the unit they were in and into the new one.
    entry, prior = aliased(RosterEntry), aliased(RosterEntry)
    previous = latest_record(ROSTER, entry.employee_id, "id", before(ROSTER, entry))
    carried = on_level2(standing_declaration(entry.employee_id, entry.at, inclusive=False))
    joined = select(
        month_of(entry.at).label("position"), entry.unit_id, literal(1).label("staff"),
        carried.label("level2"),
    ).where(shown(entry.at), entry.on_staff)
    left = (
        select(month_of(entry.at), prior.unit_id, literal(-1), -carried)
        .join(prior, prior.id == previous)
        .where(shown(entry.at), prior.on_staff)
    )
    parts = (declared, joined, left) if declarations else (joined, left)
    events = union_all(*parts).subquery("events")
    return select(
        events.c.position, events.c.unit_id, func.sum(events.c.staff), func.sum(events.c.level2)
    ).group_by(events.c.position, events.c.unit_id)


# The position of the row that holds the counts the changes start from.
_ANCHOR = -1


def compliance_history(months: Sequence[Month]) -> History:
    """Staff and level-2 counts per unit at the end of each of `months` (kept per figures
    version, see memo.py; when the last month still runs, a history kept at an earlier
    version is brought up to date: _refreshed)."""
    running = is_running(months[-1])
    key = ("history", tuple(month.iso for month in months), running)
    if running:
        return remembered(key, lambda: _history(months),
                          lambda first_day, kept: _refreshed(months, first_day, kept))
    # Every month ended: kept while no record written since is dated by the last one's end.
    return remembered(key, lambda: _history(months),
                      kept_while_ended(months[-1], lambda: _history(months)))


def _refreshed(months: Sequence[Month], first_day: date | None, kept: History) -> History:
    """The history of `months` (the last one running), from `kept`, worked out before records
    dated from `first_day` on were written (memo.remembered).

    A month's counts at its end come from the declarations and roster entries dated by then
    (staff.py): a month that ended before `first_day` (database/figures_dated.py) keeps its
    counts. Only the months after are worked out again, from the one before them (whose end
    their changes start from).

    When that is the running month alone (someone declared now: the most common write), its
    counts come from the employee rows and nothing else is counted again but the roster's
    changes in it (few), not the month's moves onto level 2 and off it (a seek each to place
    them in a unit): the running month's changes serve only to reach the months before it,
    which are kept, and to give a line to each unit they moved. A unit someone declared in
    this month and that has nobody at its end was left by them after declaring, so the
    roster's changes name it too (the tests check the pages against those worked out from
    nothing kept)."""
    settled = 0
    for month in months[:-1]:
        if not figures_dated.dated_after(first_day, month.ends_utc()):
            break
        settled += 1
    if settled < 2:
        return _history(months)
    declarations = settled < len(months) - 1
    fresh = _history(months[settled - 1:], declarations=declarations)
    # Every unit the whole history would have a line for: those with staff now, and those
    # whose counts moved in any month but the first (see _history).
    units = dict.fromkeys([*(unit for moved in kept.moved[1:settled] for unit in moved),
                           *fresh.by_unit])
    # fresh's first month is settled: kept's counts (without the declarations, fresh's are
    # not those of its first month).
    by_unit = {unit: kept.of(unit)[:settled] + fresh.of(unit)[1:] for unit in units}
    return History(list(months), by_unit, kept.moved[:settled] + fresh.moved[1:])


def _history(months: Sequence[Month], *, declarations: bool = True) -> History:
    """The history in one query: the counts at one month's end, and each later month's
    changes (not `declarations`: the roster's alone, see _changes; only the last month's
    counts are then right).

    When the last month is still running, its counts are read from the employee rows (one
    index, see people_by_status) and each earlier month's by taking away the changes made
    after it; otherwise the first month's counts come from the history, a seek per person,
    and each later month adds its changes."""
    from_end = is_running(months[-1])
    ends = {f"end_{position}": month.ends_utc() for position, month in enumerate(months)}
    anchors: dict[int | None, tuple[int, int]] = {}
    changes: dict[int | None, dict[int, tuple[int, int]]] = {}
    for position, unit_id, count, level2 in db.session.execute(
        _statement(len(months), from_end, one_pass(), declarations), ends
    ):
        if position == _ANCHOR:
            anchors[unit_id] = (int(count), int(level2 or 0))
        else:
            changes.setdefault(unit_id, {})[position] = (int(count), int(level2 or 0))
    by_unit: dict[int | None, list[MonthPoint]] = {}
    for unit_id in dict.fromkeys([*anchors, *changes]):  # in the order the rows came
        counted = _counts(len(months), anchors.get(unit_id, (0, 0)), changes.get(unit_id, {}),
                          from_end)
        by_unit[unit_id] = [MonthPoint(month, *pair) for month, pair in zip(months, counted)]
    moved = tuple(frozenset(unit_id for unit_id, during in changes.items() if position in during)
                  for position in range(len(months)))
    return History(list(months), by_unit, moved)


@cache
def _statement(
    length: int, from_end: bool, in_one_pass: bool, declarations: bool = True
) -> CompoundSelect | Select:
    """The history's one statement for `length` months, built and compiled once: the anchor
    month's counts (the last month's if `from_end`, else the first's; `in_one_pass`: see
    staff.staff_at) and the changes (see _changes for `declarations`)."""
    anchor = _end(length - 1 if from_end else 0)
    staff = people_by_status(anchor, running=from_end, in_one_pass=in_one_pass)
    on_level2 = func.sum(staff.c.people).filter(status_groups(staff.c.status)["level2"])
    counts = select(
        literal(_ANCHOR), staff.c.unit_id, func.sum(staff.c.people), on_level2
    ).group_by(staff.c.unit_id)
    if length == 1:
        return planned_each_run(counts)
    return planned_each_run(union_all(counts, _changes(length, declarations)))


def _counts(length: int, anchor: tuple[int, int], changes: dict[int, tuple[int, int]],
            from_end: bool) -> list[tuple[int, int]]:
    """(staff, level2) at each month's end, from the anchor month's counts (the last month's
    if `from_end`, else the first's) and changes[k]: what changed during month k."""
    staff, level2 = anchor
    counts = [(staff, level2)]
    order = range(length - 1, 0, -1) if from_end else range(1, length)
    sign = -1 if from_end else 1
    for position in order:
        staff_change, level2_change = changes.get(position, (0, 0))
        staff, level2 = staff + sign * staff_change, level2 + sign * level2_change
        counts.append((staff, level2))
    return counts[::-1] if from_end else counts


def units_in(history: History) -> list[UnitLine]:
    """The active units and any other unit with a line in `history`, in name order."""
    return [unit for unit in every_unit() if unit.active or unit.id in history.by_unit]
