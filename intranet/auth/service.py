"""Sign-in: the directory checks the password, the database keeps the refreshed employee."""
from __future__ import annotations

from .. import audit
from ..directory import AccountRefused, InvalidCredentials, current_directory
from ..directory.sync import refresh_employee
from ..extensions import db
from ..models import Employee, utcnow
from .session import end_all_sessions


def sign_in(username: str, password: str) -> Employee:
    """The employee whose directory password this is, refreshed from the directory.

    Raises InvalidCredentials or AccountRefused (audited, with the directory's reason) or
    DirectoryUnavailable (shown as the 503 page).
    """
    try:
        person = current_directory().authenticate(username, password)
    except AccountRefused as refused:
        audit.record("auth.sign_in_refused", actor_name=_printable(username), reason=refused.reason)
        raise
    except InvalidCredentials:
        audit.record("auth.sign_in_failed", actor_name=_printable(username))
        raise
    employee = refresh_employee(person)
    employee.last_sign_in_at = utcnow()
    db.session.flush()  # a first sign-in's new row gets its id, which the session keeps
    audit.record("auth.sign_in", actor=employee)
    return employee


def sign_out(employee: Employee) -> None:
    """End every session of the employee (a copied cookie stops working), audited."""
    end_all_sessions(employee)
    audit.record("auth.sign_out", actor=employee)


def _printable(username: str) -> str:
    """Control characters never reach the log, and a pasted essay is cut short."""
    return "".join(ch for ch in username[:150] if ch.isprintable())
