"""The head's unit page's rows: the unit's staff today and each person's notices, counted.

One statement: asked apart, the counts were a round trip more, and on PostgreSQL a statement
planned anew for most units (0.5 of its 1.1 ms, make bench's data)."""
from __future__ import annotations

from functools import cache

from sqlalchemy import Select

from ..compliance.params import UNIT, is_running, month_params
from ..compliance.results import StaffLine
from ..compliance.staff import unit_staff_statement
from ..extensions import db
from ..models import Employee
from ..months import Month
from ..notices.queries import open_counts_by_person


@cache
def _statement(running: bool) -> Select:
    counts = open_counts_by_person(UNIT)
    return (
        unit_staff_statement(running)
        .add_columns(counts.c.notices, counts.c.awaiting)
        .outerjoin(counts, counts.c.employee_id == Employee.id)
    )


def staff_and_notices(
    month: Month, unit_id: int
) -> tuple[list[StaffLine], dict[int, tuple[int, int]]]:
    """unit_staff(month, unit_id), and per person with any: (standing notices of the unit
    about them, of which still awaiting a decision)."""
    params = {**month_params(month), "unit_id": unit_id}
    staff: list[StaffLine] = []
    counts: dict[int, tuple[int, int]] = {}
    rows = db.session.execute(_statement(is_running(month)), params)
    for employee, declaration, unit, notices, awaiting in rows:
        staff.append(StaffLine(employee, declaration, unit))
        if notices:
            counts[employee.id] = (notices, awaiting)
    return staff, counts
