"""The staff of a unit with each one's latest declaration, in one query."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Declaration, Employee, Unit


@dataclass(frozen=True)
class StaffStatus:
    employee: Employee
    declaration: Declaration | None

    @property
    def compliant(self) -> bool:
        return self.declaration is not None and self.declaration.is_level2


@dataclass(frozen=True)
class UnitRoster:
    unit: Unit
    staff: list[StaffStatus]

    @property
    def compliant_count(self) -> int:
        return sum(1 for s in self.staff if s.compliant)

    @property
    def percent(self) -> float:
        return 100 * self.compliant_count / len(self.staff) if self.staff else 0.0


def latest_declarations():
    """Subquery: each employee's latest declaration id."""
    return (
        select(Declaration.employee_id, func.max(Declaration.id).label("declaration_id"))
        .group_by(Declaration.employee_id)
        .subquery()
    )


def unit_roster(unit: Unit) -> UnitRoster:
    """Every active staff member of `unit` (signed in or not), Vietnamese name order."""
    latest = latest_declarations()
    rows = db.session.execute(
        select(Employee, Declaration)
        .outerjoin(latest, latest.c.employee_id == Employee.id)
        .outerjoin(Declaration, Declaration.id == latest.c.declaration_id)
        .where(Employee.unit_id == unit.id, Employee.active.is_(True))
        .order_by(Employee.sort_key, Employee.id)
    )
    return UnitRoster(unit, [StaffStatus(employee, declaration) for employee, declaration in rows])
