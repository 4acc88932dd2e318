"""What the admin overview shows: units with their staff counts, and the last sync."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEvent, Employee, Unit


@dataclass(frozen=True)
class UnitStaff:
    unit: Unit
    staff: int
    heads: int


def units_with_staff() -> list[UnitStaff]:
    """Active units and their active staff, in Vietnamese order, in one query."""
    active = Employee.active.is_(True)
    rows = db.session.execute(
        select(
            Unit,
            func.count(Employee.id).filter(active),
            func.count(Employee.id).filter(active, Employee.is_head.is_(True)),
        )
        .outerjoin(Employee, Employee.unit_id == Unit.id)
        .where(Unit.active.is_(True))
        .group_by(Unit.id)
        .order_by(Unit.sort_key)
    )
    return [UnitStaff(unit, staff, heads) for unit, staff, heads in rows]


def last_sync() -> AuditEvent | None:
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "directory.sync")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
