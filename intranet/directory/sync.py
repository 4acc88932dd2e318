"""Bringing the directory's staff into the database: at sign-in for one person, in bulk for all."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import audit, categories
from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..vietnamese import normalize
from .client import DirectoryPerson

log = logging.getLogger(__name__)


@dataclass
class SyncSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reactivated: int = 0
    deactivated: int = 0
    units_added: int = 0

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return {
            "seen": self.seen,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "reactivated": self.reactivated,
            "deactivated": self.deactivated,
            "units_added": self.units_added,
        }


class _Units:
    """Units by name, created on first mention."""

    def __init__(self, summary: SyncSummary) -> None:
        self.summary = summary
        self.by_name = {unit.name: unit for unit in db.session.scalars(select(Unit))}
        self.used: set[str] = set()

    def get(self, name: str | None) -> Unit | None:
        if not name:
            return None
        name = _fit(Unit.name, normalize(name))
        unit = self.by_name.get(name)
        if unit is None:
            unit = Unit(name)
            db.session.add(unit)
            self.by_name[name] = unit
            self.summary.units_added += 1
        unit.active = True
        self.used.add(name)
        return unit

    def deactivate_unused(self) -> None:
        for name, unit in self.by_name.items():
            if name not in self.used:
                unit.active = False


def _fit(column: Any, value: str | None, *, cut: bool = True) -> str | None:
    """`value` within the column's length: cut, or None when a cut value would be wrong.

    PostgreSQL refuses a longer text (SQLite keeps it); one overlong directory entry
    must not stop the whole sync or someone's sign-in.
    """
    limit = column.type.length
    if value is None or limit is None or len(value) <= limit:
        return value
    log.warning("directory value for %s longer than %d characters", column.key, limit)
    return value[:limit] if cut else None


def _apply(employee: Employee, person: DirectoryPerson, unit: Unit | None) -> bool:
    """Copy the directory's view onto the employee; True if anything changed."""
    values = {
        "directory_dn": _fit(Employee.directory_dn, person.dn),
        # A cut address would be someone else's: none rather than a wrong one.
        "email": _fit(Employee.email, person.email, cut=False),
        "title": _fit(Employee.title, normalize(person.title)) if person.title else None,
        "unit": unit,
        "is_head": person.is_head,
        "is_admin": person.is_admin,
        "is_leader": person.is_leader,
        "category_from_directory": categories.from_directory(person.category),
    }
    full_name = _fit(Employee.full_name, normalize(person.full_name))
    changed = full_name != employee.full_name
    if changed:
        employee.set_full_name(full_name)
    for name, value in values.items():
        if getattr(employee, name) != value:
            setattr(employee, name, value)
            changed = True
    employee.synced_at = utcnow()
    return changed


def _upsert(
    person: DirectoryPerson,
    employee: Employee | None,
    units: _Units,
    summary: SyncSummary,
) -> Employee:
    unit = units.get(person.unit_name)
    if employee is None:
        employee = Employee(username=person.username, full_name="", sort_key="")
        _apply(employee, person, unit)
        db.session.add(employee)
        summary.added += 1
        return employee
    changed = _apply(employee, person, unit)
    if not employee.active:
        employee.active = True
        employee.left_at = None
        summary.reactivated += 1
        changed = True
    if changed:
        summary.updated += 1
    else:
        summary.unchanged += 1
    return employee


def refresh_employee(person: DirectoryPerson) -> Employee:
    """The employee for a person who just signed in, with name, unit and roles refreshed."""
    summary = SyncSummary()
    employee = db.session.scalar(select(Employee).filter_by(username=person.username))
    return _upsert(person, employee, _Units(summary), summary)


def sync_people(
    people: Iterable[DirectoryPerson], actor: Employee | None = None
) -> SyncSummary:
    """Upsert every person and unit; staff no longer listed become inactive, never deleted."""
    summary = SyncSummary()
    units = _Units(summary)
    employees = {e.username: e for e in db.session.scalars(select(Employee))}
    seen: set[str] = set()
    for person in people:
        if person.username in seen:
            continue  # two entries with one username: the first one wins
        seen.add(person.username)
        _upsert(person, employees.get(person.username), units, summary)
    now = utcnow()
    for username, employee in employees.items():
        if employee.active and username not in seen:
            employee.active = False
            employee.left_at = now
            employee.session_version += 1
            summary.deactivated += 1
    units.deactivate_unused()
    audit.record("directory.sync", actor=actor, **summary.as_dict())
    return summary
