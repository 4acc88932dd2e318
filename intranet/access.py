"""Who may see or change what: the one place each rule is written."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .extensions import db
from .models import Employee, Unit

F = TypeVar("F", bound=Callable[..., Any])


def is_admin(user: Employee) -> bool:
    return user.is_authenticated and user.is_admin


def is_head(user: Employee) -> bool:
    return user.is_authenticated and user.is_head


def can_view_unit(user: Employee, unit: Unit) -> bool:
    """Admins see every unit; a head sees their own."""
    return is_admin(user) or (is_head(user) and user.unit_id == unit.id)


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
head_required = role_required(lambda user: is_head(user) or is_admin(user))
