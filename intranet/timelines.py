"""What stood at a moment on the two append-only timelines: declarations and the roster.

A person's *latest* record at a moment is the one made last by then: the latest time, ties
going to the highest id. It is never "the highest id" alone: ids and timestamps need not rise
together (imports, clock changes, back-dated rows). Every page, export, trigger and test asks
these functions, so there is one answer. Each is one seek per person in the timeline's index
(ix_declaration_standing_status, ix_roster_entry_standing), which holds every column asked.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Over, ScalarSelect, and_, func, or_, select
from sqlalchemy.orm import aliased

from .models import Declaration, RosterEntry

# A timeline: (model, its time column).
Timeline = tuple[type[Any], str]
DECLARATIONS: Timeline = (Declaration, "declared_at")
ROSTER: Timeline = (RosterEntry, "at")

# made(record, its time) -> whether the record counts.
Made = Callable[[Any, ColumnElement[datetime]], ColumnElement[bool]]


def latest_first(timeline: Timeline, record: Any = None) -> tuple[ColumnElement, ColumnElement]:
    """ORDER BY for `timeline`'s records (or an alias of its model), the latest first."""
    model, time = timeline
    record = model if record is None else record
    return getattr(record, time).desc(), record.id.desc()


def latest_record(timeline: Timeline, employee_id: ColumnElement[int], column: str,
                  made: Made | None = None) -> ScalarSelect[Any]:
    """`column` of the employee's latest record on `timeline` (of those for which made() holds)."""
    return _one_record(timeline, employee_id, column, made, latest=True)


def earliest_record(timeline: Timeline, employee_id: ColumnElement[int], column: str,
                    made: Made) -> ScalarSelect[Any]:
    """`column` of the employee's earliest record on `timeline` of those for which made() holds."""
    return _one_record(timeline, employee_id, column, made, latest=False)


def _one_record(timeline: Timeline, employee_id: ColumnElement[int], column: str,
                made: Made | None, *, latest: bool) -> ScalarSelect[Any]:
    model, time = timeline
    record = aliased(model)
    query = select(getattr(record, column)).where(record.employee_id == employee_id)
    if made is not None:
        query = query.where(made(record, getattr(record, time)))
    order = latest_first(timeline, record)
    order = order if latest else tuple(key.element.asc() for key in order)
    return query.order_by(*order).limit(1).scalar_subquery()


def standing_declaration(employee_id: ColumnElement[int], moment: ColumnElement | None = None,
                         *, column: str = "status", inclusive: bool = True) -> ScalarSelect[Any]:
    """`column` of the employee's declaration standing at `moment`: made by then (or strictly
    before it, not `inclusive`); with no moment, their latest declaration of all."""
    if moment is None:
        return latest_record(DECLARATIONS, employee_id, column)
    if inclusive:
        return latest_record(DECLARATIONS, employee_id, column, lambda _d, made: made <= moment)
    return latest_record(DECLARATIONS, employee_id, column, lambda _d, made: made < moment)


def standing_roster_entry(employee_id: ColumnElement[int],
                          moment: ColumnElement) -> ScalarSelect[Any]:
    """The id of the employee's roster entry standing at `moment`."""
    return latest_record(ROSTER, employee_id, "id", lambda _r, at: at <= moment)


def previous_in_order(timeline: Timeline, column: str) -> Over:
    """`column` of the same person's record just before each record (None for their first),
    as a window over the timeline in its order: the record latest_record(..., before(...))
    seeks, found by one pass over the index instead of one seek per record."""
    model, time = timeline
    value = getattr(model, column)
    return func.lag(value, type_=value.type).over(
        partition_by=model.employee_id, order_by=(getattr(model, time), model.id)
    )


def before(timeline: Timeline, record: Any) -> Made:
    """made() for the same person's records before `record` (an aliased model) in the
    timeline's order: earlier in time, or at the same time with a lower id.

    Written as a range on the time (which both databases seek in the index) and a test of
    the rest, not as (time, id) < (..., ...): SQLite seeks only on the time of a row value
    and then tests the pair, a fifth more work per seek in the chart's history."""
    _model, time = timeline

    def made(earlier: Any, moment: ColumnElement[datetime]) -> ColumnElement[bool]:
        then = getattr(record, time)
        return and_(moment <= then, or_(moment < then, earlier.id < record.id))

    return made


def after(timeline: Timeline, record: Any) -> Made:
    """before()'s mirror: the same person's records after `record` in the timeline's order."""
    _model, time = timeline

    def made(later: Any, moment: ColumnElement[datetime]) -> ColumnElement[bool]:
        then = getattr(record, time)
        return and_(moment >= then, or_(moment > then, later.id > record.id))

    return made
