"""Recording declarations (append-only) and reading an employee's own."""
from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, select

from .. import audit
from ..extensions import db
from ..models import Declaration, Employee
from ..timelines import DECLARATIONS, latest_first, standing_declaration
from ..vietnamese import normalize
from . import rules


def declare(
    employee: Employee,
    *,
    status: str,
    activated_on: date | None,
    committed: bool,
    note: str | None,
    today: date,
    address: str | None,
) -> Declaration:
    """A new declaration by `employee` about themself; raises RuleViolation."""
    note = normalize(note) if note else None
    rules.check(status, activated_on, committed, note, today)
    declaration = Declaration(
        employee=employee,
        status=status,
        activated_on=activated_on,
        committed=committed,
        note=note,
        declared_from=address,
    )
    db.session.add(declaration)
    db.session.flush()
    audit.record("declaration.create", actor=employee, obj=declaration, status=status)
    return declaration


def history(employee: Employee) -> list[Declaration]:
    """The employee's declarations, the latest first (intranet/timelines.py's order)."""
    return list(
        db.session.scalars(
            select(Declaration)
            .where(Declaration.employee_id == employee.id)
            .order_by(*latest_first(DECLARATIONS))
        )
    )


def is_latest_of(employee_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The condition on Declaration that picks the person's latest declaration (timelines'
    order): current() asks it alone, the home page together with its reminder."""
    return Declaration.id == standing_declaration(employee_id, column="id")


@cache
def _latest() -> Select:
    # Built once (the declaration form): the employee is a parameter.
    return select(Declaration).where(is_latest_of(bindparam("employee_id")))


def current(employee: Employee) -> Declaration | None:
    """The employee's latest declaration (None: never declared)."""
    return db.session.scalar(_latest(), {"employee_id": employee.id})
