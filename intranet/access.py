"""Who may see or change what: the one place each rule is written."""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, and_, false, or_

from .extensions import db
from .models import Appraisal, Employee, Notice, Unit

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T", Notice, Appraisal)


def is_admin(user: Employee) -> bool:
    return user.is_authenticated and user.is_admin


def is_head(user: Employee) -> bool:
    return user.is_authenticated and user.is_head


def is_leader(user: Employee) -> bool:
    """In the leadership group (LDAP_LEADERSHIP_GROUP): the Chi cục trưởng and deputies."""
    return user.is_authenticated and user.is_leader


def proposes_on_leaders(user: Employee) -> bool:
    """Who proposes on notices about heads and leaders (routed to the admin): the admin or the
    leadership, never a unit's head as such."""
    return is_admin(user) or is_leader(user)


def heads_a_unit(user: Employee) -> bool:
    """A head with a unit of their own: they record notices and proposals for it."""
    return is_head(user) and user.unit_id is not None


def can_view_unit(user: Employee, unit: Unit) -> bool:
    """Admins see every unit; a head sees their own."""
    return is_admin(user) or (is_head(user) and user.unit_id == unit.id)


def can_act_for_unit(user: Employee, unit_id: int | None) -> bool:
    """Notices and decisions are written by the head of the person's own unit only."""
    return is_head(user) and unit_id is not None and user.unit_id == unit_id


def routed_to_admin(employee: Employee) -> bool:
    """Notices about a head or a leader (admin), or about someone gone or in no unit, are acted
    on by the admin, not by a unit's head (intranet/notices/routing.py)."""
    return (employee.is_head or employee.is_admin or employee.is_leader or not employee.active
            or employee.unit_id is None)


def can_act_on_person(user: Employee, employee: Employee) -> bool:
    """Recording a notice or a proposal about someone: their unit's head, or for a person whose
    notices go to the admin, an admin or a leader; never about oneself."""
    if employee.id == user.id:
        return False
    if routed_to_admin(employee):
        return proposes_on_leaders(user)
    return can_act_for_unit(user, employee.unit_id)


def can_correct(user: Employee, record: Notice | Appraisal) -> bool:
    """Correcting a notice or a decision: who acts on the notice; for a decision, the head of
    the unit it was recorded for, or the admin when the person's notices go to the admin."""
    if isinstance(record, Notice):
        return can_act_on_notice(user, record)
    if record.employee_id == user.id:
        return False
    return can_act_for_unit(user, record.unit_id) or (
        proposes_on_leaders(user) and routed_to_admin(record.employee)
    )


def can_see_summary(user: Employee, unit: Unit | None) -> bool:
    """The rating meeting's summary: a head, their own unit's; the admin and the leadership,
    any unit's or the whole sub-department's (unit None)."""
    if proposes_on_leaders(user):
        return True
    return unit is not None and heads_a_unit(user) and user.unit_id == unit.id


def can_explain(user: Employee, notice: Notice) -> bool:
    """An explanation (giải trình) of a notice: only by the person it is about."""
    return user.is_authenticated and notice.employee_id == user.id


def can_act_on_notice(user: Employee, notice: Notice) -> bool:
    """Acting on a notice (deciding, correcting): whoever it is routed to
    (intranet/notices/routing.py), never the person it is about. Same rule as `acts_on_notice`."""
    if notice.employee_id == user.id:
        return False
    if notice.route == "admin":
        return proposes_on_leaders(user)
    return can_act_for_unit(user, notice.unit_id)


def acts_on_notices(user: Employee) -> bool:
    """Whether any notice can be routed to `user` at all (`acts_on_notice` is not `false()`):
    the head of a unit, the admin, the leadership. Staff have no queue to read."""
    return heads_a_unit(user) or proposes_on_leaders(user)


def acts_on_notice(user: Employee) -> ColumnElement[bool]:
    """`can_act_on_notice` as SQL, for the queue of notices awaiting `user`."""
    routes = []
    if heads_a_unit(user):
        routes.append(and_(Notice.route == "unit", Notice.unit_id == user.unit_id))
    if proposes_on_leaders(user):
        routes.append(Notice.route == "admin")
    if not routes:
        return false()
    return and_(Notice.employee_id != user.id, or_(*routes))


def can_read_records_of(user: Employee, employee_id: int, unit_id: int | None) -> bool:
    """Notices and proposals about a person: the person, their unit's head, an admin, and the
    leadership (who rate everyone, heads included)."""
    return user.id == employee_id or proposes_on_leaders(user) or can_act_for_unit(user, unit_id)


def staff_member_for(user: Employee, employee: Employee | None) -> Employee:
    """A staff member whose records `user` may read: 404 if none, 403 if not theirs. The page
    reads them itself, with what it shows in the same statement (the person's page: their
    unit and notices, notices/queries.person_and_notices)."""
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
    if not can_act_on_person(user, employee):
        abort(403)
    return employee


def load_record_for(
    user: Employee, model: type[T], record_id: int, *, write: bool = False, options: Sequence[Any] = ()
) -> T:
    """A notice or decision `user` may read (or, with write, correct): 404 if none, else 403.
    `options`: what the page shows of it, loaded with it (joinedload...)."""
    return record_for(user, db.session.get(model, record_id, options=options), write=write)


def record_for(user: Employee, record: T | None, *, write: bool = False) -> T:
    """load_record_for's answer for a record its page read itself, with more beside it in the
    same statement (the explanation form): 404 if none, else 403."""
    if record is None:
        abort(404)
    if not write:
        allowed = can_read_records_of(user, record.employee_id, record.unit_id)
    else:
        allowed = can_correct(user, record)
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
# The queue of notices awaiting a proposal: heads, the admin and the leadership.
summary_reader_required = role_required(lambda user: heads_a_unit(user) or proposes_on_leaders(user))
proposer_required = role_required(lambda user: is_head(user) or proposes_on_leaders(user))
unit_head_required = role_required(heads_a_unit)
# Writing decisions: a unit's head, or an admin (about heads and leaders, whose notices go to
# the admin).
decision_maker_required = role_required(lambda user: heads_a_unit(user) or proposes_on_leaders(user))
