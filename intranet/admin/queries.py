"""What the admin overview shows: units with their staff counts, and the last sync."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select

from ..extensions import db
from ..compliance.staff import on_staff_at
from ..models import AppraisalOutcome, AuditEvent, Employee, IssuingBody, Unit, utcnow
from ..paging import one_page


@dataclass(frozen=True)
class UnitStaff:
    unit: Unit
    staff: int
    heads: int


def units_with_staff() -> list[UnitStaff]:
    """Active units and their staff now, in Vietnamese order, in one query."""
    active = on_staff_at(utcnow())
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


def last_sync_failure() -> AuditEvent | None:
    """The latest stopped sync (from the web or a timer's CLI run), unless one succeeded since."""
    failure = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "directory.sync_failed")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    success = last_sync()
    if failure is None or (success is not None and success.id > failure.id):
        return None
    return failure


def issuing_bodies() -> list[IssuingBody]:
    return list(db.session.scalars(select(IssuingBody).order_by(IssuingBody.active.desc(), IssuingBody.sort_key)))


def all_responses() -> list[AppraisalOutcome]:
    """Every response a head may or once could propose: those in use first, in their order."""
    return list(db.session.scalars(
        select(AppraisalOutcome).order_by(AppraisalOutcome.active.desc(), AppraisalOutcome.position)
    ))


def audit_events(
    *, action: str | None, actor: str | None, since: date | None, until: date | None, page: int
) -> tuple[list[AuditEvent], bool]:
    """One page of the audit log, newest first, and whether an older page exists.

    Dates are compared in UTC, as stored; a day's bounds are close enough for a filter.
    """
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.startswith(action.strip()))
    if actor:
        query = query.where(func.lower(AuditEvent.actor_name) == actor.strip().lower())
    if since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(since, time.min))
    if until:
        # The day's last instant, not the next day's first: 31/12/9999 has no next day.
        query = query.where(AuditEvent.occurred_at <= datetime.combine(until, time.max))
    return one_page(query.order_by(AuditEvent.id.desc()), page)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
