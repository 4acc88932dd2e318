"""Month by month: each unit's staff and level-2 counts at the end of a run of months."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, DateTime, Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Declaration, RosterEntry, Unit, VneidStatus
from ..months import Month
from ..timelines import (
    DECLARATIONS, ROSTER, before, latest_record, standing_declaration, standing_roster_entry,
)
from .params import is_running
from .results import History, MonthPoint
from .staff import people_by_status, status_groups


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
    replaced = latest_record(
        DECLARATIONS, Declaration.employee_id, "status", before(DECLARATIONS, Declaration)
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
        .join(placed, placed.id == standing_roster_entry(Declaration.employee_id, Declaration.declared_at))
        .where(shown(Declaration.declared_at), placed.on_staff)
    )
    # A roster change (joining, moving, leaving, coming back; few in a year) takes the person,
    # with the status declared before it, out of the unit they were in and into the new one.
    entry, prior = aliased(RosterEntry), aliased(RosterEntry)
    previous = latest_record(ROSTER, entry.employee_id, "id", before(ROSTER, entry))
    carried = is_level2(standing_declaration(entry.employee_id, entry.at, inclusive=False))
    joined = select(month_of(entry.at), entry.unit_id, literal(1), carried).where(
        shown(entry.at), entry.on_staff
    )
    left = (
        select(month_of(entry.at), prior.unit_id, literal(-1), -carried)
        .join(prior, prior.id == previous)
        .where(shown(entry.at), prior.on_staff)
    )
    events = union_all(declared, joined, left).subquery("events")
    return select(
        events.c.position, events.c.unit_id, func.sum(events.c.staff), func.sum(events.c.level2)
    ).group_by(events.c.position, events.c.unit_id)


def compliance_history(months: Sequence[Month]) -> History:
    """Staff and level-2 counts per unit at the end of each of `months`, in one query: the
    counts at the first month's end, then each later month's changes, added up in order."""
    staff = people_by_status(literal(months[0].ends_utc(), DateTime), running=is_running(months[0]))
    on_level2 = func.sum(staff.c.people).filter(status_groups(staff.c.status)["level2"])
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
