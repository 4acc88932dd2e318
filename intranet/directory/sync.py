"""Bringing the directory's staff into the database: at sign-in for one person, in bulk for all.

The bulk sync first builds a plan (who is added, renamed, moved, leaving, back, gains or
loses a role) without writing anything; `--dry-run` and the admin's preview show it. Only
a plan built from a complete, error-free listing is applied, and one that would take more
than LDAP_SYNC_MAX_LEAVERS of the staff off the roster waits for an admin's confirmation.
"""
from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from .. import audit, categories
from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..reminders.addresses import usable_address
from ..vietnamese import normalize
from .client import DirectoryPerson

log = logging.getLogger(__name__)

GONE = "gone"  # no longer listed; accounts.DISABLED and accounts.EXPIRED are the others


@dataclass
class SyncSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reactivated: int = 0
    deactivated: int = 0
    units_added: int = 0
    renamed: int = 0

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
            "renamed": self.renamed,
        }


@dataclass(frozen=True)
class PlanItem:
    """One line of the plan: who, and what changes for them."""

    full_name: str
    username: str
    before: str | None = None
    after: str | None = None


@dataclass
class SyncPlan:
    """What a sync would do, computed from the listing and the database, nothing written."""

    pairs: list[tuple[DirectoryPerson, Employee | None]] = field(default_factory=list)
    leavers: list[tuple[Employee, str]] = field(default_factory=list)
    active_before: int = 0
    added: list[PlanItem] = field(default_factory=list)
    renamed: list[PlanItem] = field(default_factory=list)
    moved: list[PlanItem] = field(default_factory=list)
    leaving: list[PlanItem] = field(default_factory=list)
    back: list[PlanItem] = field(default_factory=list)
    roles_gained: list[PlanItem] = field(default_factory=list)
    roles_lost: list[PlanItem] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return len(self.pairs)

    @property
    def digest(self) -> str:
        """Names exactly this set of leavers: a confirmation holds for them and no others."""
        ids = ",".join(str(e.id) for e in sorted((e for e, _ in self.leavers), key=lambda e: e.id))
        return hashlib.sha256(ids.encode()).hexdigest()[:10]

    def allowed_leavers(self, max_share: float) -> int:
        """How many may leave without a confirmation; one departure is never held up."""
        return max(1, math.floor(self.active_before * max_share + 1e-9))

    def needs_confirmation(self, max_share: float) -> bool:
        return len(self.leavers) > self.allowed_leavers(max_share)

    @property
    def changes(self) -> bool:
        return any(
            (self.added, self.renamed, self.moved, self.leaving, self.back,
             self.roles_gained, self.roles_lost)
        )


class SyncAborted(Exception):
    """The listing cannot be trusted (it is empty while staff exist): nothing was changed."""

    def __init__(self, reason: str, active: int) -> None:
        self.reason = reason
        self.active = active
        super().__init__(reason)


class SyncNeedsConfirmation(Exception):
    """More staff would leave than LDAP_SYNC_MAX_LEAVERS allows without an admin's word."""

    def __init__(self, plan: SyncPlan, max_share: float) -> None:
        self.plan = plan
        self.max_share = max_share
        super().__init__(f"{len(plan.leavers)} of {plan.active_before} staff would leave")


class _Units:
    """Units by name, created on first mention."""

    def __init__(self, summary: SyncSummary) -> None:
        self.summary = summary
        self.by_name = {unit.name: unit for unit in db.session.scalars(select(Unit))}
        self.used: set[str] = set()

    def get(self, name: str | None) -> Unit | None:
        name = unit_name(name)
        if name is None:
            return None
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


def unit_name(name: str | None) -> str | None:
    """The unit's name as stored, from the directory's text."""
    return _fit(Unit.name, normalize(name)) if name else None


def _apply(employee: Employee, person: DirectoryPerson, unit: Unit | None) -> bool:
    """Copy the directory's view onto the employee; True if anything changed."""
    values = {
        "username": _fit(Employee.username, person.username),
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
    if person.directory_id is not None:
        values["directory_id"] = person.directory_id
    full_name = _fit(Employee.full_name, normalize(person.full_name))
    changed = full_name != employee.full_name
    if changed:
        employee.set_full_name(full_name)
    for name, value in values.items():
        if getattr(employee, name) != value:
            setattr(employee, name, value)
            changed = True
    # Judged with the address, by the one rule (the reminders' run and preview use it); not a
    # change the directory made, so not counted as one.
    usable = usable_address(employee.email)
    if employee.usable_email != usable:
        employee.usable_email = usable
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
    if employee.username != person.username:
        summary.renamed += 1
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


def _match(
    person: DirectoryPerson,
    by_id: dict[str, Employee],
    by_username: dict[str, Employee],
    taken: set[int],
) -> Employee | None:
    """The employee this person is: by the directory's id first, by username only if unknown.

    A username whose holder has another id is a new person who inherits nothing.
    """
    if person.directory_id is not None:
        employee = by_id.get(person.directory_id)
        if employee is not None:
            return employee
    employee = by_username.get(person.username)
    if employee is None or employee.id in taken:
        return None
    if employee.directory_id is not None and person.directory_id is not None:
        return None  # another person who once had this username
    return employee


def _free_usernames(pairs: Iterable[tuple[DirectoryPerson, Employee | None]]) -> None:
    """Move aside former holders of the usernames about to be given (renames, reuses).

    The username is unique; the person who had it before keeps their records under
    "name (#id)" until the directory gives them a name again.
    """
    wanted: dict[str, Employee | None] = {}
    for person, employee in pairs:
        wanted[person.username] = employee
    if not wanted:
        return
    if len(wanted) > 500:  # the whole staff: the plan loaded them already, no huge IN list
        holders = [e for e in db.session.scalars(select(Employee)) if e.username in wanted]
    else:
        holders = list(db.session.scalars(select(Employee).where(Employee.username.in_(wanted))))
    moved = False
    for holder in holders:
        if wanted[holder.username] is not holder:
            holder.username = _fit(Employee.username, f"{holder.username} (#{holder.id})")
            moved = True
    if moved:
        db.session.flush()  # before anyone takes the names: the unique index checks each row


def plan_sync(people: Iterable[DirectoryPerson]) -> SyncPlan:
    """Compare the directory's listing with the database; write nothing.

    Raises SyncAborted when the listing is empty while staff exist.
    """
    plan = SyncPlan()
    employees = list(db.session.scalars(select(Employee)))
    unit_names = {unit_id: name for unit_id, name in db.session.execute(select(Unit.id, Unit.name))}
    by_id = {e.directory_id: e for e in employees if e.directory_id}
    by_username = {e.username: e for e in employees}
    taken: set[int] = set()
    seen: set[str] = set()
    listed = 0
    for person in people:
        listed += 1
        keys = {person.username} | ({person.directory_id} if person.directory_id else set())
        if not person.username or keys & seen:
            continue  # two entries for one person or one username: the first one wins
        seen |= keys
        employee = _match(person, by_id, by_username, taken)
        if employee is not None:
            taken.add(employee.id)
        if person.state is not None:
            # Listed but disabled or expired: off the staff, their records kept.
            if employee is not None and employee.active:
                plan.leavers.append((employee, person.state))
            continue
        plan.pairs.append((person, employee))
        _describe(plan, person, employee, unit_names)
    plan.active_before = sum(1 for e in employees if e.active)
    if listed == 0 and plan.active_before:
        raise SyncAborted("empty", plan.active_before)
    for employee in employees:
        if employee.active and employee.id not in taken:
            plan.leavers.append((employee, GONE))
    for employee, reason in plan.leavers:
        plan.leaving.append(PlanItem(employee.full_name, employee.username, after=reason))
    return plan


def _describe(
    plan: SyncPlan,
    person: DirectoryPerson,
    employee: Employee | None,
    unit_names: dict[int, str],
) -> None:
    name = normalize(person.full_name)
    if employee is None:
        plan.added.append(PlanItem(name, person.username, after=unit_name(person.unit_name)))
        return
    if employee.username != person.username:
        plan.renamed.append(PlanItem(name, person.username, employee.username, person.username))
    before = unit_names.get(employee.unit_id) if employee.unit_id else None
    after = unit_name(person.unit_name)
    if before != after:
        plan.moved.append(PlanItem(name, person.username, before, after))
    if not employee.active:
        plan.back.append(PlanItem(name, person.username))
    for role, had, has in (
        ("head", employee.is_head, person.is_head),
        ("admin", employee.is_admin, person.is_admin),
    ):
        if has and not had:
            plan.roles_gained.append(PlanItem(name, person.username, after=role))
        elif had and not has:
            plan.roles_lost.append(PlanItem(name, person.username, before=role))


def apply_plan(
    plan: SyncPlan,
    actor: Employee | None = None,
    *,
    max_share: float = 1.0,
    confirm: str | None = None,
) -> SyncSummary:
    """Write the plan: upsert the listed, deactivate the leavers, never delete anyone.

    Raises SyncNeedsConfirmation (nothing written) when more would leave than `max_share`
    of the active staff and `confirm` is not this plan's digest.
    """
    if plan.needs_confirmation(max_share) and confirm != plan.digest:
        raise SyncNeedsConfirmation(plan, max_share)
    summary = SyncSummary()
    units = _Units(summary)
    _free_usernames(plan.pairs)
    for person, employee in plan.pairs:
        _upsert(person, employee, units, summary)
    now = utcnow()
    for employee, _reason in plan.leavers:
        employee.active = False
        employee.left_at = now
        employee.session_version += 1
        summary.deactivated += 1
    units.deactivate_unused()
    audit.record(
        "directory.sync",
        actor=actor,
        **summary.as_dict(),
        leaving=[f"{e.username}: {reason}" for e, reason in plan.leavers[:500]],
        renamed_usernames=[f"{i.before} → {i.after}" for i in plan.renamed[:500]],
        confirmed=confirm if plan.needs_confirmation(max_share) else None,
    )
    return summary


def sync_people(
    people: Iterable[DirectoryPerson],
    actor: Employee | None = None,
    *,
    max_share: float = 1.0,
    confirm: str | None = None,
) -> SyncSummary:
    """Plan, then apply: staff no longer listed (or disabled, expired) become inactive."""
    return apply_plan(plan_sync(people), actor, max_share=max_share, confirm=confirm)


def record_failure(actor: Employee | None, reason: str, **details: Any) -> None:
    """The audit row of a sync that changed nothing; the caller has rolled back, and commits."""
    audit.record("directory.sync_failed", actor=actor, reason=reason, **details)


def refresh_employee(person: DirectoryPerson) -> Employee:
    """The employee for a person who just signed in, with name, unit and roles refreshed."""
    summary = SyncSummary()
    query = select(Employee).where(Employee.username == person.username)
    if person.directory_id is not None:
        query = select(Employee).where(
            (Employee.directory_id == person.directory_id) | (Employee.username == person.username)
        )
    candidates = list(db.session.scalars(query))
    by_id = {e.directory_id: e for e in candidates if e.directory_id}
    by_username = {e.username: e for e in candidates}
    employee = _match(person, by_id, by_username, set())
    _free_usernames([(person, employee)])
    return _upsert(person, employee, _Units(summary), summary)
