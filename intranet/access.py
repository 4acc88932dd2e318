"""Who may see or change what: the one place each rule is written."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .extensions import db
from .models import Appraisal, Employee, Notice, Unit

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T", Notice, Appraisal)


def is_admin(user: Employee) -> bool:
    return user.is_authenticated and user.is_admin


def is_head(user: Employee) -> bool:
    return user.is_authenticated and user.is_head


def heads_a_unit(user: Employee) -> bool:
    """A head with a unit of their own: they record notices and proposals for it."""
    return is_head(user) and user.unit_id is not None


def can_view_unit(user: Employee, unit: Unit) -> bool:
    """Admins see every unit; a head sees their own."""
    return is_admin(user) or (is_head(user) and user.unit_id == unit.id)


def can_act_for_unit(user: Employee, unit_id: int | None) -> bool:
    """Notices and decisions are written by the head of the person's own unit only."""
    return is_head(user) and unit_id is not None and user.unit_id == unit_id


def can_read_records_of(user: Employee, employee_id: int, unit_id: int | None) -> bool:
    """Notices and decisions about a person: the person, their unit's head, an admin."""
    return user.id == employee_id or is_admin(user) or can_act_for_unit(user, unit_id)


def load_staff_member_for(user: Employee, employee_id: int) -> Employee:
    """A staff member whose records `user` may read: 404 if none, 403 if not theirs."""
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        abort(404)
    if not can_read_records_of(user, employee.id, employee.unit_id):
        abort(403)
    return employee


def load_staff_member_to_act_on(user: Employee, employee_id: int | None) -> Employee:
    """A staff member `user` may record notices and decisions about: their head only."""
    employee = db.session.get(Employee, employee_id) if employee_id is not None else None
    if employee is None:
        abort(404)
    if not can_act_for_unit(user, employee.unit_id):
        abort(403)
    return employee


def load_record_for(user: Employee, model: type[T], record_id: int, *, write: bool = False) -> T:
    """A notice or decision `user` may read (or, with write, correct): 404 if none, else 403."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    allowed = (
        can_act_for_unit(user, record.unit_id)
        if write
        else can_read_records_of(user, record.employee_id, record.unit_id)
    )
    if not allowed:
        abort(403)
    return record


def load_unit_for(user: Employee, unit_id: int) -> Unit:
    """The unit, if `user` may see it: 404 when there is none, 403 when it is not theirs."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    if not can_view_unit(user, unit):
        abort(403)
    return unit


def role_required(check: Callable[[Employee], bool]) -> Callable[[F], F]:
    """Signed in, and `check(current_user)` holds; 403 otherwise."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


admin_required = role_required(is_admin)
head_or_admin_required = role_required(lambda user: is_head(user) or is_admin(user))
unit_head_required = role_required(heads_a_unit)
